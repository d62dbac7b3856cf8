/**
 * `rebuild`: the feed projection filled from the topics. Capture puts the Odoo-shaped workload
 * (default 1,000,000 events) on the topics of a restored Odoo 17 database; then
 *   - one projector process on an empty service database catches up from the earliest offset
 *     (every projection runs, as in production): start to the feed at the end of every partition
 *     (`growth` compares one and two instances);
 *   - `odoo-stream rebuild feed`, run as an operator runs it while the projectors keep serving:
 *     command start to swapped, the feed checked to hold the same rows afterwards;
 *   - `odoo-stream replay projector.feed --shift-by -N --execute` (N a tenth of the events, at
 *     most 100,000): command start to the projector caught up again.
 */
import { Kafka } from 'kafkajs';
import { runCommandLine } from './bench-processes';
import { BenchContext, Figure, median } from './bench-result';
import { timeProjectorCatchUp } from './projector-catchup';
import { captureWorkload, deploy } from './workload/captured-workload';
import { iterationsFor } from './workload/odoo-workload';

interface Round {
  events: number;
  catchUpSeconds: number;
  rebuildSeconds: number;
  replayed: number;
  replaySeconds: number;
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
      ctx.progress(`round ${r}: the projector catching up ${counts.events} events`);
      const live = await timeProjectorCatchUp(
        ctx,
        deployment.env,
        admin,
        `stream_${prefix}_${r}`,
        1,
      );
      try {
        const feedRows = async () =>
          Number((await live.stream.query('SELECT count(*) AS n FROM update_webhook')).rows[0].n);
        const before = await feedRows();
        ctx.progress(
          `round ${r}: odoo-stream rebuild feed (${before} rows), the projector running`,
        );
        const rebuildSeconds = await runCommandLine(
          live.env,
          ['rebuild', 'feed', '--reason', 'bench'],
          ctx.progress,
        );
        const after = await feedRows();
        if (after !== before) {
          throw new Error(`the rebuilt feed holds ${after} rows, the live one held ${before}`);
        }
        const replayed = Math.max(1, Math.min(100_000, Math.floor(live.events / 10)));
        ctx.progress(`round ${r}: odoo-stream replay projector.feed --shift-by -${replayed}`);
        const replaySeconds = await runCommandLine(
          live.env,
          ['replay', 'projector.feed', '--shift-by', String(-replayed), '--execute'],
          ctx.progress,
        );
        rounds.push({
          events: live.events,
          catchUpSeconds: live.seconds,
          rebuildSeconds,
          replayed,
          replaySeconds,
          projectorRssPeakMb: live.rssPeakMb,
        });
      } finally {
        await live.stop();
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
      name: 'projector catch-up from empty, into the feed',
      value: median(rounds.map((r) => r.events / r.catchUpSeconds)),
      unit: 'events/s',
    },
    {
      name: 'odoo-stream rebuild feed, command start to swapped',
      value: median(rounds.map((r) => r.events / r.rebuildSeconds)),
      unit: 'events/s',
      target: '>= 50000',
    },
    {
      name: `odoo-stream replay projector.feed --shift-by -${rounds[0].replayed}, command to caught up`,
      value: median(rounds.map((r) => r.replaySeconds)),
      unit: 's',
    },
    {
      name: 'projector RSS while catching up, peak',
      value: Math.max(...rounds.map((r) => r.projectorRssPeakMb)),
      unit: 'MB',
    },
  ];
}
