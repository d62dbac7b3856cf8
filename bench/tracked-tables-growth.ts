/**
 * `growth`: how capture and the projector scale with what they are given.
 *   - capture with 1, 13 and 100 tracked tables (the workload's four models first, then other
 *     Odoo tables of the dump): the same Odoo-shaped WAL caught up from process start, RSS
 *     sampled meanwhile; each count has its own slot, topics and initial snapshot;
 *   - the projector with 1 and 2 instances catching up the events of the 13-table capture.
 */
import { Kafka } from 'kafkajs';
import { Client } from 'pg';
import { BenchContext, Figure, median } from './bench-result';
import { timeCapture } from './catchup-runs';
import { timeProjectorCatchUp } from './projector-catchup';
import { BenchDeployment, deploy, takeCaptureSlot } from './workload/captured-workload';
import {
  iterationsFor,
  WORKLOAD_MODELS,
  workloadCounts,
  writeWorkload,
} from './workload/odoo-workload';

const TABLE_COUNTS = [1, 13, 100];
/** The projector instances are measured on the events of this capture. */
const PROJECTED_TABLES = 13;

export async function growthBench(ctx: BenchContext): Promise<Figure[]> {
  const rowChanges = ctx.quick ? 300 : (ctx.rowChanges ?? 100_000);
  const iterations = iterationsFor(rowChanges);
  const deployment = await deploy(ctx);
  const kafka = new Kafka({ brokers: [ctx.kafkaBrokers], logLevel: 0 });
  const admin = kafka.admin();
  await admin.connect();
  const models = await trackableModels(deployment.sql, Math.max(...TABLE_COUNTS));
  const captures = new Map<number, { rate: number[]; events: number[]; rss: number[] }>(
    TABLE_COUNTS.map((n) => [n, { rate: [], events: [], rss: [] }]),
  );
  const projector = { one: [] as number[], two: [] as number[] };
  try {
    for (let r = 1; r <= ctx.rounds; r++) {
      // Every capture's slot first, then one workload they all read.
      const envs = new Map<number, Record<string, string>>();
      for (const count of TABLE_COUNTS) {
        const env = captureEnv(deployment, `g${count}r${r}`, models.slice(0, count));
        ctx.progress(`round ${r}: capture of ${count} tables: slot and initial snapshot`);
        await takeCaptureSlot(env, deployment.sql, 600_000);
        envs.set(count, env);
      }
      const counts = workloadCounts(iterations);
      ctx.progress(`round ${r}: writing ${counts.rowChanges} row changes`);
      await writeWorkload(deployment.sql, iterations, `${deployment.env.TOPIC_PREFIX}r${r}`);
      const target = (await deployment.sql.query('SELECT pg_current_wal_lsn()::text AS lsn'))
        .rows[0].lsn as string;
      for (const count of TABLE_COUNTS) {
        const env = envs.get(count) as Record<string, string>;
        ctx.progress(`round ${r}: capture of ${count} tables catching up`);
        const run = await timeCapture(env, deployment.sql, env.CAPTURE_SLOT, target);
        const figures = captures.get(count);
        figures?.rate.push(counts.rowChanges / run.seconds);
        figures?.rss.push(run.rssPeakMb);
      }
      const env = envs.get(PROJECTED_TABLES) as Record<string, string>;
      for (const [instances, into] of [
        [1, projector.one],
        [2, projector.two],
      ] as const) {
        ctx.progress(`round ${r}: ${instances} projector(s) catching up`);
        const run = await timeProjectorCatchUp(
          ctx,
          env,
          admin,
          `stream_${env.TOPIC_PREFIX}_${instances}`,
          instances,
        );
        await run.stop();
        into.push(run.events / run.seconds);
      }
    }
  } finally {
    await admin.disconnect();
    await deployment.close();
  }
  return [
    {
      name: 'workload row changes per round',
      value: workloadCounts(iterations).rowChanges,
      unit: 'rows',
    },
    ...TABLE_COUNTS.flatMap((count) => {
      const c = captures.get(count) as { rate: number[]; rss: number[] };
      return [
        {
          name: `capture, ${count} tracked table${count > 1 ? 's' : ''}, catch-up`,
          value: median(c.rate),
          unit: 'WAL row changes/s',
        },
        {
          name: `capture, ${count} tracked table${count > 1 ? 's' : ''}, RSS peak`,
          value: Math.max(...c.rss),
          unit: 'MB',
          target: '<= 150',
        },
      ];
    }),
    {
      name: `projector, 1 instance, catch-up (${PROJECTED_TABLES} tables' events)`,
      value: median(projector.one),
      unit: 'events/s',
    },
    {
      name: `projector, 2 instances, catch-up (${PROJECTED_TABLES} tables' events)`,
      value: median(projector.two),
      unit: 'events/s',
    },
  ];
}

/** Capture's environment for one table count: its own slot, publication and topics. */
function captureEnv(deployment: BenchDeployment, tag: string, models: string[]) {
  const prefix = `${deployment.env.TOPIC_PREFIX}${tag}`;
  return {
    ...deployment.env,
    TOPIC_PREFIX: prefix,
    CAPTURE_SLOT: `odoo_stream_${prefix}`,
    CAPTURE_PUBLICATION: `odoo_stream_${prefix}`,
    TRACKED_MODELS: models.join(','),
  };
}

/**
 * The workload's models, then other models of the dump whose table has an integer `id` primary
 * key (what capture tracks), by name.
 */
async function trackableModels(sql: Client, count: number): Promise<string[]> {
  const { rows } = await sql.query<{ model: string }>(
    `SELECT m.model FROM ir_model m
       JOIN pg_class c ON c.relname = replace(m.model, '.', '_') AND c.relkind = 'r'
       JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY(i.indkey) AND a.attname = 'id'
     WHERE NOT m.transient AND m.model <> ALL($1::text[])
     ORDER BY m.model`,
    [WORKLOAD_MODELS],
  );
  const models = [...WORKLOAD_MODELS, ...rows.map((r) => r.model)].slice(0, count);
  if (models.length < count) throw new Error(`the dump has only ${models.length} trackable models`);
  return models;
}
