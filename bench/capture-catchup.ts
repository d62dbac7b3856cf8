/**
 * `capture`: one WAL, several readers. Each round writes the Odoo-shaped workload on the restored
 * Odoo 17 database after every contender has its slot, then lets each catch up alone:
 *   - odoo-stream's capture: process start to the slot confirmed past the workload (the slot moves
 *     only after Kafka acknowledged the events), RSS sampled meanwhile;
 *   - pg_recvlogical: PostgreSQL's own client decoding the same WAL with pgoutput to /dev/null,
 *     the limit of what any logical decoding reader can reach;
 *   - Kafka's ProducerPerformance: as many records of the events' mean size, acks=all, the limit
 *     of what the broker appends.
 * The events on the topics are counted: a round whose count is not the workload's fails.
 */
import { ChildProcess, execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Kafka } from 'kafkajs';
import { Client } from 'pg';
import { modelTopic } from '@odoo-stream/events';
import { postgresBinDir, restoreDump } from '@odoo-stream/local-infra';
import { rssKb, slotStreaming, startAppProcess, stopProcess, waitFor } from './bench-processes';
import { BenchContext, Figure, median } from './bench-result';
import { DebeziumConnect, debeziumLibs, debeziumTopic } from './debezium-connect';
import {
  iterationsFor,
  WORKLOAD_MODELS,
  workloadCounts,
  writeWorkload,
} from './workload/odoo-workload';

const run = promisify(execFile);
const DUMP = join(__dirname, '..', '..', 'test', 'fixtures', 'odoo17', 'odoo17-base.dump');
const TABLES = WORKLOAD_MODELS.map((m) => m.replace(/\./g, '_'));

interface Round {
  rowChanges: number;
  events: number;
  captureSeconds: number;
  recvSeconds: number;
  debeziumSeconds: number;
  debeziumRssPeakMb: number;
  kafkaRecordsPerSecond: number;
  eventBytes: number;
  rssPeakMb: number;
  rssMedianMb: number;
}

export async function captureBench(ctx: BenchContext): Promise<Figure[]> {
  const rowChanges = ctx.quick ? 300 : (ctx.rowChanges ?? 200_000);
  const iterations = iterationsFor(rowChanges);
  ctx.progress("Debezium's jars (fetched from Maven Central the first time)");
  const libs = await debeziumLibs();
  const database = `odoo_bench_${Date.now().toString(36)}`;
  ctx.progress(`restoring the Odoo 17 dump into ${database}`);
  const url = await restoreDump(ctx.postgresUrl, database, DUMP);
  const sql = new Client({ connectionString: url });
  await sql.connect();
  const kafka = new Kafka({ brokers: [ctx.kafkaBrokers], logLevel: 0 });
  const admin = kafka.admin();
  await admin.connect();
  const prefix = `bench${Date.now().toString(36)}`;
  const slot = `odoo_stream_${prefix}`;
  const env = {
    PATH: process.env.PATH ?? '',
    KAFKA_BROKERS: ctx.kafkaBrokers,
    ODOO_DATABASE_URL: url,
    TRACKED_MODELS: WORKLOAD_MODELS.join(','),
    TOPIC_PREFIX: prefix,
    CAPTURE_SLOT: slot,
    CAPTURE_PUBLICATION: slot,
    LOG_LEVEL: 'warn',
    CAPTURE_HEARTBEAT_MS: '200',
    // One message per event, so the topics' message count is the event count.
    CAPTURE_TOMBSTONES: 'false',
  };
  const topics = WORKLOAD_MODELS.map((m) => modelTopic(prefix, database, m));
  const rounds: Round[] = [];
  try {
    await sql.query(`CREATE PUBLICATION bench_recv FOR TABLE ${TABLES.join(', ')}`);
    for (let r = 1; r <= ctx.rounds; r++) {
      ctx.progress(`round ${r} of ${ctx.rounds}: slots, then ${iterations} iterations of writes`);
      // Every reader's slot exists before the writes: each reads the same WAL from the same point.
      const capture = startAppProcess('capture', env);
      await waitFor(async () => slotStreaming(sql, slot), 120_000);
      await stopProcess(capture);
      const recvSlot = `bench_recv_${r}`;
      const debeziumSlot = `bench_debezium_${r}`;
      for (const s of [recvSlot, debeziumSlot])
        await sql.query(`SELECT pg_create_logical_replication_slot($1, 'pgoutput')`, [s]);
      const eventsBefore = await topicMessages(admin, topics);
      const bytesBefore = topicBytes(ctx, topics);

      await writeWorkload(sql, iterations, `${prefix}${r}`);
      const target = (await sql.query('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]
        .lsn as string;
      const expected = workloadCounts(iterations);

      ctx.progress(`round ${r}: odoo-stream catching up ${expected.rowChanges} row changes`);
      const captured = await timeCapture(env, sql, slot, target);
      const events = (await topicMessages(admin, topics)) - eventsBefore;
      if (events !== expected.events) {
        throw new Error(
          `round ${r}: ${events} events on the topics, the workload makes ${expected.events}`,
        );
      }
      const bytesAfter = topicBytes(ctx, topics);
      // Without the broker's data folder (a broker given with --kafka), 1 KB, about what it is.
      const eventBytes =
        bytesAfter === undefined || bytesBefore === undefined
          ? 1000
          : Math.max(1, Math.round((bytesAfter - bytesBefore) / events));

      ctx.progress(`round ${r}: pg_recvlogical decoding the same WAL`);
      const recvSeconds = await timeRecvLogical(url, recvSlot, target);
      await sql.query('SELECT pg_drop_replication_slot($1)', [recvSlot]);

      ctx.progress(`round ${r}: Debezium's PostgreSQL connector catching up the same WAL`);
      const debezium = await timeDebezium(ctx, libs, url, debeziumSlot, `${prefix}dbz${r}`, admin, {
        rowChanges: expected.rowChanges,
      });
      await sql.query('SELECT pg_drop_replication_slot($1)', [debeziumSlot]);

      ctx.progress(`round ${r}: ProducerPerformance, ${events} records of ${eventBytes} bytes`);
      const kafkaRecordsPerSecond = await producerPerformance(ctx, admin, events, eventBytes);
      rounds.push({
        rowChanges: expected.rowChanges,
        events,
        captureSeconds: captured.seconds,
        recvSeconds,
        debeziumSeconds: debezium.seconds,
        debeziumRssPeakMb: debezium.rssPeakMb,
        kafkaRecordsPerSecond,
        eventBytes,
        rssPeakMb: captured.rssPeakMb,
        rssMedianMb: captured.rssMedianMb,
      });
    }
  } finally {
    await admin.disconnect();
    await sql
      .query(
        `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = current_database() AND NOT active`,
      )
      .catch(() => undefined);
    await sql.end();
  }
  const capture = median(rounds.map((r) => r.rowChanges / r.captureSeconds));
  const captureEvents = median(rounds.map((r) => r.events / r.captureSeconds));
  const recv = median(rounds.map((r) => r.rowChanges / r.recvSeconds));
  const kafkaLimit = median(rounds.map((r) => r.kafkaRecordsPerSecond));
  const debezium = median(rounds.map((r) => r.rowChanges / r.debeziumSeconds));
  return [
    { name: 'row changes per round', value: rounds[0].rowChanges, unit: 'rows' },
    {
      name: 'events per round (one per transaction and record)',
      value: rounds[0].events,
      unit: 'events',
    },
    { name: 'mean event size on the topic', value: rounds[0].eventBytes, unit: 'bytes' },
    {
      name: 'odoo-stream capture, commit to Kafka ack',
      value: capture,
      unit: 'row changes/s',
      target: '>= 20000',
    },
    { name: 'odoo-stream capture, events', value: captureEvents, unit: 'events/s' },
    { name: 'pg_recvlogical, same WAL, pgoutput', value: recv, unit: 'row changes/s' },
    {
      name: 'ratio odoo-stream / pg_recvlogical',
      value: capture / recv,
      unit: 'x',
      target: '>= 0.5',
    },
    {
      name: "Debezium's PostgreSQL connector, same WAL, Kafka Connect",
      value: debezium,
      unit: 'row changes/s',
    },
    {
      name: 'ratio odoo-stream / Debezium',
      value: capture / debezium,
      unit: 'x',
      target: '>= 3',
    },
    {
      name: 'Debezium (Kafka Connect JVM) RSS, peak',
      value: Math.max(...rounds.map((r) => r.debeziumRssPeakMb)),
      unit: 'MB',
    },
    {
      name: "Kafka's ProducerPerformance, same count and size",
      value: kafkaLimit,
      unit: 'records/s',
    },
    {
      name: "ratio odoo-stream events / Kafka's limit",
      value: captureEvents / kafkaLimit,
      unit: 'x',
    },
    {
      name: 'capture RSS while catching up, median',
      value: median(rounds.map((r) => r.rssMedianMb)),
      unit: 'MB',
      target: '<= 150',
    },
    {
      name: 'capture RSS while catching up, peak',
      value: Math.max(...rounds.map((r) => r.rssPeakMb)),
      unit: 'MB',
      target: '<= 150',
    },
  ];
}

async function timeCapture(env: Record<string, string>, sql: Client, slot: string, target: string) {
  const started = Date.now();
  const capture: ChildProcess = startAppProcess('capture', env);
  const rss: number[] = [];
  const sampler = setInterval(() => {
    const kb = rssKb(capture.pid as number);
    if (kb) rss.push(kb / 1024);
  }, 100);
  try {
    await waitFor(async () => {
      const { rows } = await sql.query(
        `SELECT confirmed_flush_lsn >= $2::pg_lsn AS done FROM pg_replication_slots WHERE slot_name = $1`,
        [slot, target],
      );
      return rows[0]?.done === true;
    }, 1_800_000);
  } finally {
    clearInterval(sampler);
  }
  const seconds = (Date.now() - started) / 1000;
  await stopProcess(capture);
  return { seconds, rssPeakMb: Math.max(0, ...rss), rssMedianMb: median(rss.length ? rss : [0]) };
}

/**
 * Kafka Connect start to every row change on Debezium's topics (one message per row change, so
 * the count is exact), as odoo-stream's time runs from its process start.
 */
async function timeDebezium(
  ctx: BenchContext,
  libs: string,
  url: string,
  slot: string,
  topicPrefix: string,
  admin: ReturnType<Kafka['admin']>,
  expected: { rowChanges: number },
) {
  const topics = TABLES.map((t) => debeziumTopic(topicPrefix, t));
  const started = Date.now();
  const connect = DebeziumConnect.start(libs, {
    brokers: ctx.kafkaBrokers,
    postgresUrl: url,
    slot,
    publication: 'bench_recv',
    tables: TABLES,
    topicPrefix,
  });
  const rss: number[] = [];
  const sampler = setInterval(() => {
    const kb = rssKb(connect.process.pid as number);
    if (kb) rss.push(kb / 1024);
  }, 100);
  let seen = 0;
  try {
    await waitFor(async () => {
      const exited = connect.exitReason();
      if (exited) throw new Error(exited);
      seen = await topicMessages(admin, topics);
      return seen >= expected.rowChanges;
    }, 1_800_000);
  } finally {
    clearInterval(sampler);
  }
  const seconds = (Date.now() - started) / 1000;
  await connect.stop();
  if (seen !== expected.rowChanges) {
    throw new Error(`Debezium wrote ${seen} messages, the workload makes ${expected.rowChanges}`);
  }
  return { seconds, rssPeakMb: Math.max(0, ...rss) };
}

async function timeRecvLogical(url: string, slot: string, target: string): Promise<number> {
  const bin = await postgresBinDir();
  const started = Date.now();
  await run(join(bin, 'pg_recvlogical'), [
    '-d',
    url,
    '-S',
    slot,
    '--start',
    '-E',
    target,
    '-f',
    '/dev/null',
    '-o',
    'proto_version=1',
    '-o',
    'publication_names=bench_recv',
    '--no-loop',
  ]);
  return (Date.now() - started) / 1000;
}

async function producerPerformance(
  ctx: BenchContext,
  admin: ReturnType<Kafka['admin']>,
  records: number,
  size: number,
): Promise<number> {
  const tool = join(__dirname, '..', '..', 'scripts', 'kafka-tool.sh');
  // The broker creates no topic on first use: without this the tool waits for metadata forever.
  const topic = `bench-producer-performance-${Date.now().toString(36)}`;
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  try {
    return await runProducerPerformance(tool, ctx, topic, records, size);
  } finally {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  }
}

async function runProducerPerformance(
  tool: string,
  ctx: BenchContext,
  topic: string,
  records: number,
  size: number,
): Promise<number> {
  const { stdout } = await run(
    'bash',
    [
      tool,
      'org.apache.kafka.tools.ProducerPerformance',
      '--topic',
      topic,
      '--num-records',
      String(records),
      '--record-size',
      String(size),
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${ctx.kafkaBrokers}`,
      'acks=all',
      'enable.idempotence=true',
    ],
    { maxBuffer: 16 * 1024 * 1024, timeout: 600_000 },
  );
  // The last line: "N records sent, X records/sec (Y MB/sec), ..."
  const match = /(\d+) records sent, ([\d.]+) records\/sec/.exec(
    stdout.trim().split('\n').pop() ?? '',
  );
  if (!match) throw new Error(`ProducerPerformance printed no summary: ${stdout.slice(-300)}`);
  return Number(match[2]);
}

async function topicMessages(admin: ReturnType<Kafka['admin']>, topics: string[]): Promise<number> {
  const existing = new Set(await admin.listTopics());
  let total = 0;
  for (const topic of topics.filter((t) => existing.has(t))) {
    for (const p of await admin.fetchTopicOffsets(topic)) total += Number(p.high) - Number(p.low);
  }
  return total;
}

/** Bytes of the topics' log segments, when the broker's data folder is known (a private stack). */
function topicBytes(ctx: BenchContext, topics: string[]): number | undefined {
  const bytesOf = ctx.topicBytes;
  return bytesOf ? topics.reduce((sum, t) => sum + bytesOf(t), 0) : undefined;
}
