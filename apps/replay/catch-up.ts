import { Admin } from 'kafkajs';
import { PartitionOffsets } from '@odoo-stream/events';

export interface CatchUpProgress {
  done: number;
  total: number;
  /** Events per second since the watch began. */
  rate: number;
  /** Seconds left at that rate (null before anything moved). */
  secondsLeft: number | null;
  caughtUp: boolean;
}

/** Progress of a moved group towards the ends recorded when it was moved. No I/O. */
export function catchUpProgress(
  offsets: PartitionOffsets[],
  committed: Map<string, bigint>,
  elapsedMs: number,
): CatchUpProgress {
  let done = 0n;
  let total = 0n;
  let caughtUp = true;
  for (const o of offsets) {
    const from = BigInt(o.after);
    const end = BigInt(o.end);
    if (end <= from) continue;
    const at = committed.get(`${o.topic}/${o.partition}`) ?? from;
    total += end - from;
    done += (at > end ? end : at) - from > 0n ? (at > end ? end : at) - from : 0n;
    if (at < end) caughtUp = false;
  }
  const rate = elapsedMs > 0 ? (Number(done) * 1000) / elapsedMs : 0;
  const left = Number(total - done);
  return {
    done: Number(done),
    total: Number(total),
    rate,
    secondsLeft: rate > 0 ? left / rate : null,
    caughtUp,
  };
}

/**
 * Follows the group's committed offsets until it has caught up with the recorded ends (or `stop`
 * resolves), reporting every `everyMs`.
 */
export async function watchCatchUp(
  admin: Admin,
  group: string,
  offsets: PartitionOffsets[],
  report: (progress: CatchUpProgress) => void,
  stop: Promise<void>,
  everyMs = 1000,
): Promise<CatchUpProgress> {
  const started = Date.now();
  const topics = [...new Set(offsets.map((o) => o.topic))];
  let stopped = false;
  void stop.then(() => (stopped = true));
  for (;;) {
    const committed = new Map<string, bigint>();
    for (const { topic, partitions } of await admin.fetchOffsets({ groupId: group, topics })) {
      for (const p of partitions) committed.set(`${topic}/${p.partition}`, BigInt(p.offset));
    }
    const progress = catchUpProgress(offsets, committed, Date.now() - started);
    report(progress);
    if (progress.caughtUp || stopped) return progress;
    await Promise.race([new Promise((resolve) => setTimeout(resolve, everyMs)), stop]);
  }
}

/** A bar for a terminal, a line otherwise. */
export function progressText(p: CatchUpProgress, terminal: boolean): string {
  const pct = p.total === 0 ? 100 : Math.floor((p.done * 100) / p.total);
  const left = p.secondsLeft === null ? '?' : `${Math.ceil(p.secondsLeft)} s`;
  const figures = `${p.done}/${p.total} events, ${Math.round(p.rate)}/s, ${left} left`;
  if (!terminal) return `${pct}% ${figures}`;
  const width = 30;
  const filled = Math.round((pct / 100) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(pct).padStart(3)}% ${figures}`;
}
