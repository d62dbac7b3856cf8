/**
 * `rebuild`: the feed projection filled from the topics. Capture puts the Odoo-shaped workload
 * (default 1,000,000 events) on the topics of a restored Odoo 17 database; then
 *   - one projector process on an empty service database catches up from the earliest offset
 *     (every projection runs, as in production): start to the feed at the end of every partition;
 *   - the same with two projector processes (the groups deleted, a fresh service database);
 *   - `odoo-stream rebuild feed`, run as an operator runs it while the projectors keep serving:
 *     command start to swapped, the feed checked to hold the same rows afterwards.
 */
import { Kafka } from 'kafkajs';
import { Client } from 'pg';
import { PROJECTIONS } from '../apps/projector/projection-catalog';
import { runCommandLine } from './bench-processes';
import { BenchContext, Figure, median } from './bench-result';
import { timeProjectorCatchUp } from './projector-catchup';
import { captureWorkload, deploy } from './workload/captured-workload';
import { iterationsFor } from './workload/odoo-workload';

interface Round {
  events: number;
  oneSeconds: number;
  twoSeconds: number;
  rebuildSeconds: number;
  projectorRssPeakMb: number;
}

export async function rebuildBench(ctx: BenchContext): Promise<Figure[]> {
  const wanted = ctx.quick ? 300 : (ctx.events ?? 1_000_000);
  const deployment = await deploy(ctx);
  const kafka = new Kafka({ brokers: [ctx.kafkaBrokers], logLevel: 0 });
  const admin = kafka.admin();
  await admin.connect();
  const prefix = deployment.env.TOPIC_PREFIX;
  const rounds: Round[] = [];
  try {
    const counts = await captureWorkload(ctx, deployment, iterationsFor(wanted, 'events'));
    for (let r = 1; r <= ctx.rounds; r++) {
      const catchUp = async (instances: number, database: string) => {
        // Read from the earliest offset again, into an empty database.
        await admin
          .deleteGroups(Object.keys(PROJECTIONS).map((p) => `${prefix}.projector.${p}`))
          .catch(() => undefined);
        const server = new Client({ connectionString: ctx.postgresUrl('postgres') });
        await server.connect();
        await server.query(`CREATE DATABASE ${database}`).finally(() => server.end());
        const streamUrl = ctx.postgresUrl(database);
        const stream = new Client({ connectionString: streamUrl });
        await stream.connect();
        const env = { ...deployment.env, DATABASE_URL: streamUrl };
        ctx.progress(`round ${r}: ${instances} projector(s) catching up ${counts.events} events`);
        const run = await timeProjectorCatchUp(
          { ...deployment, env },
          admin,
          stream,
          instances,
          ctx.progress,
        );
        return { run, stream, env };
      };
      const one = await catchUp(1, `stream_one_${prefix}_${r}`);
      await one.run.stop();
      await one.stream.end();
      const two = await catchUp(2, `stream_two_${prefix}_${r}`);
      try {
        const feedRows = async () =>
          Number((await two.stream.query('SELECT count(*) AS n FROM update_webhook')).rows[0].n);
        const before = await feedRows();
        ctx.progress(`round ${r}: odoo-stream rebuild feed (${before} rows), projectors running`);
        const rebuildSeconds = await runCommandLine(
          two.env,
          ['rebuild', 'feed', '--reason', 'bench'],
          ctx.progress,
        );
        const after = await feedRows();
        if (after !== before) {
          throw new Error(`the rebuilt feed holds ${after} rows, the live one held ${before}`);
        }
        rounds.push({
          events: one.run.events,
          oneSeconds: one.run.seconds,
          twoSeconds: two.run.seconds,
          rebuildSeconds,
          projectorRssPeakMb: one.run.rssPeakMb,
        });
      } finally {
        await two.run.stop();
        await two.stream.end();
      }
    }
  } finally {
    await admin.disconnect();
    await deployment.close();
  }
  const events = rounds[0].events;
  return [
    { name: 'events on the topics the feed reads', value: events, unit: 'events' },
    {
      name: 'projector catch-up, 1 instance, into the feed',
      value: median(rounds.map((r) => r.events / r.oneSeconds)),
      unit: 'events/s',
    },
    {
      name: 'projector catch-up, 2 instances, into the feed',
      value: median(rounds.map((r) => r.events / r.twoSeconds)),
      unit: 'events/s',
    },
    {
      name: 'odoo-stream rebuild feed, command start to swapped',
      value: median(rounds.map((r) => r.events / r.rebuildSeconds)),
      unit: 'events/s',
      target: '>= 50000',
    },
    {
      name: 'projector RSS while catching up, peak',
      value: Math.max(...rounds.map((r) => r.projectorRssPeakMb)),
      unit: 'MB',
    },
  ];
}
