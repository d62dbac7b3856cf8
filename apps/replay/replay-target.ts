/**
 * Where a replay moves a consumer: the options of `odoo-stream replay` (Kafka's own
 * kafka-consumer-groups --reset-offsets names), and the new offset of each partition. No I/O.
 */
export type ReplayTarget =
  | { kind: 'earliest' }
  | { kind: 'latest' }
  | { kind: 'datetime'; ms: number }
  | { kind: 'duration'; ms: number; text: string }
  | { kind: 'offset'; topic: string; partition: number; offset: bigint }
  | { kind: 'shift'; by: bigint };

/** A refusal: one line saying what is wrong; nothing was changed. */
export class ReplayRefused extends Error {
  override name = 'ReplayRefused';
  constructor(
    message: string,
    /** 409 in the API when the state forbids it (a rebuild running, members that stay). */
    readonly conflict = false,
  ) {
    super(message);
  }
}

export interface TargetOptions {
  toEarliest?: boolean;
  toLatest?: boolean;
  toDatetime?: string;
  byDuration?: string;
  toOffset?: string;
  shiftBy?: string;
}

/** Exactly one target, checked; `now` for durations and "in the future". */
export function parseReplayTarget(options: TargetOptions, now = Date.now()): ReplayTarget {
  const given = Object.entries(options).filter(([, v]) => v !== undefined && v !== false);
  if (given.length !== 1) {
    throw new ReplayRefused(
      'give exactly one of --to-earliest, --to-latest, --to-datetime, --by-duration, --to-offset, --shift-by',
    );
  }
  if (options.toEarliest) return { kind: 'earliest' };
  if (options.toLatest) return { kind: 'latest' };
  if (options.toDatetime !== undefined) {
    const text = options.toDatetime;
    const ms = Date.parse(text);
    if (
      !/^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?)?$/.test(text) ||
      Number.isNaN(ms)
    ) {
      throw new ReplayRefused(
        `--to-datetime '${text}' is not an ISO 8601 time (for example 2026-12-01T09:40:00Z)`,
      );
    }
    if (ms > now) throw new ReplayRefused(`--to-datetime ${text} is in the future`);
    return { kind: 'datetime', ms };
  }
  if (options.byDuration !== undefined) {
    const ms = parseIsoDuration(options.byDuration);
    return { kind: 'duration', ms, text: options.byDuration };
  }
  if (options.toOffset !== undefined) {
    const match = /^(.+):(\d+):(\d+)$/.exec(options.toOffset);
    if (!match) {
      throw new ReplayRefused(
        `--to-offset '${options.toOffset}' is not <topic>:<partition>:<offset>`,
      );
    }
    return {
      kind: 'offset',
      topic: match[1],
      partition: Number(match[2]),
      offset: BigInt(match[3]),
    };
  }
  const by = options.shiftBy as string;
  if (!/^[+-]?\d+$/.test(by)) throw new ReplayRefused(`--shift-by '${by}' is not a whole number`);
  return { kind: 'shift', by: BigInt(by) };
}

/** ISO 8601 durations as Kafka's --by-duration takes them: PnDTnHnMnS (and PnW). */
export function parseIsoDuration(text: string): number {
  const match =
    /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(
      text,
    );
  if (!match || text === 'P' || text.endsWith('T')) {
    throw new ReplayRefused(
      `--by-duration '${text}' is not an ISO 8601 duration (for example PT30M, PT2H, P1D)`,
    );
  }
  const [, w, d, h, m, s] = match.map((v) => Number(v ?? 0));
  const ms = ((((w * 7 + d) * 24 + h) * 60 + m) * 60 + s) * 1000;
  if (ms <= 0) throw new ReplayRefused(`--by-duration '${text}' is zero`);
  return ms;
}

export function describeTarget(target: ReplayTarget): string {
  switch (target.kind) {
    case 'earliest':
    case 'latest':
      return `to-${target.kind}`;
    case 'datetime':
      return `to-datetime ${new Date(target.ms).toISOString()}`;
    case 'duration':
      return `by-duration ${target.text}`;
    case 'offset':
      return `to-offset ${target.topic}:${target.partition}:${target.offset}`;
    case 'shift':
      return `shift-by ${target.by}`;
  }
}

/** One partition as the planner sees it. */
export interface PartitionState {
  topic: string;
  partition: number;
  /** The group's committed offset; null when it has none. */
  committed: bigint | null;
  low: bigint;
  high: bigint;
  /** For a time target: the first offset at or after the time (null: none, the end). */
  atTime?: bigint | null;
}

/**
 * The new offset of one partition, or null when the target leaves it alone (an explicit offset
 * names one partition). Kafka's clamping: never below the log start or above the end.
 */
export function newOffset(target: ReplayTarget, p: PartitionState): bigint | null {
  switch (target.kind) {
    case 'earliest':
      return p.low;
    case 'latest':
      return p.high;
    case 'datetime':
    case 'duration':
      return p.atTime ?? p.high;
    case 'offset': {
      if (target.topic !== p.topic || target.partition !== p.partition) return null;
      if (target.offset < p.low || target.offset > p.high) {
        throw new ReplayRefused(
          `offset ${target.offset} of ${p.topic}:${p.partition} is out of range: the partition holds ${p.low} to ${p.high}`,
        );
      }
      return target.offset;
    }
    case 'shift': {
      const moved = (p.committed ?? p.low) + target.by;
      return moved < p.low ? p.low : moved > p.high ? p.high : moved;
    }
  }
}

export interface PlannedPartition {
  topic: string;
  partition: number;
  current: bigint | null;
  next: bigint;
  end: bigint;
}

/** Events read again (behind the current offset) and skipped (moved past), per partition. */
export function plannedCounts(p: PlannedPartition): { again: bigint; skipped: bigint } {
  const current = p.current ?? p.next;
  return {
    again: current > p.next ? current - p.next : 0n,
    skipped: p.next > current ? p.next - current : 0n,
  };
}
