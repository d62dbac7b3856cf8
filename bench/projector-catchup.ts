import { Admin } from 'kafkajs';
import { Client } from 'pg';
import { catchUpProgress } from '../apps/replay/catch-up';
import { PROJECTIONS } from '../apps/projector/projection-catalog';
import { sampleRss, startAppProcess, stopProcess, waitFor } from './bench-processes';
import { BenchContext } from './bench-result';
import { createDatabase, dropDatabase } from './workload/captured-workload';

/** Every partition the feed reads, from its low to its high watermark. */
export async function feedOffsets(admin: Admin, prefix: string) {
  const offsets = [];
  for (const topic of PROJECTIONS.feed.topics(prefix, await admin.listTopics())) {
    for (const p of await admin.fetchTopicOffsets(topic)) {
      offsets.push({ topic, partition: p.partition, before: null, after: p.low, end: p.high });
    }
  }
  return offsets;
}

/** Where the feed projection's own positions say it is, by `topic/partition`. */
export async function feedPositions(stream: Client, schema = 'public') {
  const { rows } = await stream
    .query<{ topic: string; partition: number; next_offset: string }>(
      `SELECT topic, partition, next_offset::text FROM "${schema}".projection_position
        WHERE projection = 'feed'`,
    )
    .catch(() => ({ rows: [] }));
  return new Map(rows.map((r) => [`${r.topic}/${r.partition}`, BigInt(r.next_offset)]));
}

/**
 * `instances` projector processes started on a new, empty service database `database` (the
 * projector's groups deleted first, so they read from the earliest offset), timed from start to
 * the feed projection at the end of every partition; the first instance's RSS sampled
 * meanwhile. The projectors keep running: `stop` stops them and closes `stream`.
 */
export async function timeProjectorCatchUp(
  ctx: BenchContext,
  env: Record<string, string>,
  admin: Admin,
  database: string,
  instances: number,
) {
  const prefix = env.TOPIC_PREFIX;
  await admin
    .deleteGroups(Object.keys(PROJECTIONS).map((p) => `${prefix}.projector.${p}`))
    .catch(() => undefined);
  const projectorEnv = { ...env, DATABASE_URL: await createDatabase(ctx, database) };
  const stream = new Client({ connectionString: projectorEnv.DATABASE_URL });
  await stream.connect();
  const offsets = await feedOffsets(admin, prefix);
  const events = offsets.reduce((n, o) => n + Number(BigInt(o.end) - BigInt(o.after)), 0);
  const started = Date.now();
  const projectors = Array.from({ length: instances }, () =>
    startAppProcess('projector', projectorEnv),
  );
  const rss = sampleRss(projectors[0].pid as number);
  let last = started;
  try {
    await waitFor(async () => {
      const now = catchUpProgress(offsets, await feedPositions(stream), Date.now() - started);
      if (Date.now() - last > 10_000) {
        ctx.progress(`  feed ${now.done}/${now.total} (${now.rate.toFixed(0)} events/s)`);
        last = Date.now();
      }
      return now.caughtUp;
    }, 3_600_000);
  } catch (error) {
    await Promise.all(projectors.map(stopProcess));
    await stream.end();
    await dropDatabase(ctx, database);
    throw error;
  }
  const seconds = (Date.now() - started) / 1000;
  const memory = rss.stop();
  return {
    events,
    seconds,
    rssPeakMb: memory.peakMb,
    env: projectorEnv,
    stream,
    stop: async () => {
      await Promise.all(projectors.map(stopProcess));
      await stream.end();
      await dropDatabase(ctx, database);
    },
  };
}
