import { join } from 'node:path';
import { Kafka } from 'kafkajs';
import { Client } from 'pg';
import { repoRoot } from '@odoo-stream/config';
import { restoreDump } from '@odoo-stream/local-infra';
import {
  slotConfirmedPast,
  slotStreaming,
  startAppProcess,
  stopProcess,
  waitFor,
} from '../bench-processes';
import { BenchContext } from '../bench-result';
import { WORKLOAD_MODELS, workloadCounts, WorkloadCounts, writeWorkload } from './odoo-workload';

export const ODOO17_DUMP = join(repoRoot(), 'test', 'fixtures', 'odoo17', 'odoo17-base.dump');

/** A restored Odoo 17 database, an empty service database and the apps' environment on them. */
export interface BenchDeployment {
  odooUrl: string;
  streamUrl: string;
  /** The environment every app and the command line run with. */
  env: Record<string, string>;
  slot: string;
  sql: Client;
  close(): Promise<void>;
}

/** Restores the Odoo 17 dump and creates the service database, names unique to this run. */
export async function deploy(
  ctx: BenchContext,
  extra: Record<string, string> = {},
): Promise<BenchDeployment> {
  const tag = Date.now().toString(36);
  const database = `odoo_bench_${tag}`;
  ctx.progress(`restoring the Odoo 17 dump into ${database}`);
  const odooUrl = await restoreDump(ctx.postgresUrl, database, ODOO17_DUMP);
  const streamUrl = await createDatabase(ctx, `stream_bench_${tag}`);
  const slot = `odoo_stream_bench${tag}`;
  const sql = new Client({ connectionString: odooUrl });
  await sql.connect();
  return {
    odooUrl,
    streamUrl,
    slot,
    sql,
    env: {
      PATH: process.env.PATH ?? '',
      KAFKA_BROKERS: ctx.kafkaBrokers,
      ODOO_DATABASE_URL: odooUrl,
      DATABASE_URL: streamUrl,
      TRACKED_MODELS: WORKLOAD_MODELS.join(','),
      TOPIC_PREFIX: `bench${tag}`,
      CAPTURE_SLOT: slot,
      CAPTURE_PUBLICATION: slot,
      LOG_LEVEL: process.env.BENCH_APP_LOGS ? 'info' : 'warn',
      CAPTURE_HEARTBEAT_MS: '200',
      // One message per event, so the topics' message count is the event count.
      CAPTURE_TOMBSTONES: 'false',
      ...extra,
    },
    close: async () => {
      await sql.end();
      await dropDatabase(ctx, database);
      await dropDatabase(ctx, `stream_bench_${tag}`);
      await deleteTopics(ctx, `bench${tag}`);
    },
  };
}

/** Deletes the topics of every prefix that starts with `prefix` (apps, Debezium, tools). */
async function deleteTopics(ctx: BenchContext, prefix: string): Promise<void> {
  const admin = new Kafka({ brokers: [ctx.kafkaBrokers], logLevel: 0 }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}

/** An empty database on the bench's server; its URL. */
export async function createDatabase(ctx: BenchContext, name: string): Promise<string> {
  const server = new Client({ connectionString: ctx.postgresUrl('postgres') });
  await server.connect();
  await server.query(`CREATE DATABASE ${name}`).finally(() => server.end());
  return ctx.postgresUrl(name);
}

/**
 * Capture started until its slot streams (slot made, initial snapshot done), then stopped: the
 * slot holds the WAL from there for a later catch-up.
 */
export async function takeCaptureSlot(
  env: Record<string, string>,
  sql: Client,
  timeoutMs = 120_000,
): Promise<void> {
  const capture = startAppProcess('capture', env);
  try {
    await waitFor(async () => slotStreaming(sql, env.CAPTURE_SLOT), timeoutMs);
  } finally {
    await stopProcess(capture);
  }
}

/**
 * Drops a bench database and the replication slots left in it (a bench run against a server
 * given with --postgres leaves nothing behind).
 */
export async function dropDatabase(ctx: BenchContext, name: string): Promise<void> {
  const server = new Client({ connectionString: ctx.postgresUrl('postgres') });
  await server.connect();
  try {
    await server.query(
      `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
        WHERE database = $1 AND NOT active`,
      [name],
    );
    await server.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await server.end();
  }
}

/**
 * Writes `iterations` of the Odoo-shaped workload and waits until capture has put every event
 * on the topics (its slot confirmed past the writes). Capture runs for it unless `running`
 * says a capture process already runs.
 */
export async function captureWorkload(
  ctx: BenchContext,
  deployment: BenchDeployment,
  iterations: number,
  running = false,
): Promise<WorkloadCounts> {
  const { sql, slot, env } = deployment;
  const capture = running ? undefined : startAppProcess('capture', env);
  try {
    await waitFor(async () => slotStreaming(sql, slot), 120_000);
    const counts = workloadCounts(iterations);
    ctx.progress(`writing ${counts.rowChanges} row changes (${counts.events} events)`);
    await writeWorkload(sql, iterations, `${env.TOPIC_PREFIX}${Date.now().toString(36)}`);
    const target = (await sql.query('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]
      .lsn as string;
    ctx.progress('capture putting them on the topics');
    await waitFor(async () => slotConfirmedPast(sql, slot, target), 3_600_000);
    return counts;
  } finally {
    if (capture) await stopProcess(capture);
  }
}
