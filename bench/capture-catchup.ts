/**
 * `capture`: one WAL, several readers. Each round writes the Odoo-shaped workload on the restored
 * Odoo 17 database after every contender has its slot, then lets each catch up alone:
 *   - odoo-stream's capture: process start to the slot confirmed past the workload (the slot moves
 *     only after Kafka acknowledged the events), RSS sampled meanwhile;
 *   - pg_recvlogical: PostgreSQL's own client decoding the same WAL with pgoutput to /dev/null,
 *     the limit of what any logical decoding reader can reach;
 *   - Debezium's PostgreSQL connector in Kafka Connect, its own slot, JsonConverter;
 *   - Kafka's ProducerPerformance: as many records of the events' mean size, acks=all, the limit
 *     of what the broker appends.
 * The events on the topics are counted: a round whose count is not the workload's fails.
 */
import { join } from 'node:path';
import { Kafka } from 'kafkajs';
import { Client } from 'pg';
import { repoRoot } from '@odoo-stream/config';
import { modelTopic } from '@odoo-stream/events';
import { restoreDump } from '@odoo-stream/local-infra';
import { BenchContext, Figure, median } from './bench-result';
import {
  producerPerformance,
  timeCapture,
  timeDebezium,
  timeRecvLogical,
  topicMessages,
} from './catchup-runs';
import { debeziumLibs } from './debezium-connect';
import { dropDatabase, takeCaptureSlot } from './workload/captured-workload';
import {
  iterationsFor,
  WORKLOAD_MODELS,
  workloadCounts,
  writeWorkload,
} from './workload/odoo-workload';

const DUMP = join(repoRoot(), 'test', 'fixtures', 'odoo17', 'odoo17-base.dump');
const PUBLICATION = 'bench_recv';
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
    await sql.query(`CREATE PUBLICATION ${PUBLICATION} FOR TABLE ${TABLES.join(', ')}`);
    for (let r = 1; r <= ctx.rounds; r++) {
      ctx.progress(`round ${r} of ${ctx.rounds}: slots, then ${iterations} iterations of writes`);
      // Every reader's slot exists before the writes: each reads the same WAL from the same point.
      await takeCaptureSlot(env, sql);
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
      const recvSeconds = await timeRecvLogical(url, recvSlot, PUBLICATION, target);
      await sql.query('SELECT pg_drop_replication_slot($1)', [recvSlot]);

      ctx.progress(`round ${r}: Debezium's PostgreSQL connector catching up the same WAL`);
      const debezium = await timeDebezium(
        libs,
        {
          brokers: ctx.kafkaBrokers,
          postgresUrl: url,
          slot: debeziumSlot,
          publication: PUBLICATION,
          tables: TABLES,
          topicPrefix: `${prefix}dbz${r}`,
        },
        admin,
        { rowChanges: expected.rowChanges },
      );
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
    await dropDatabase(ctx, database);
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

/** Bytes of the topics' log segments, when the broker's data folder is known (a private stack). */
function topicBytes(ctx: BenchContext, topics: string[]): number | undefined {
  const bytesOf = ctx.topicBytes;
  return bytesOf ? topics.reduce((sum, t) => sum + bytesOf(t), 0) : undefined;
}
