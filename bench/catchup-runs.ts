/**
 * The readers the capture bench times on one WAL, each alone: odoo-stream's capture, Debezium's
 * connector, pg_recvlogical; and Kafka's ProducerPerformance for what the broker appends.
 */
import { ChildProcess, execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Admin } from 'kafkajs';
import { Client } from 'pg';
import { repoRoot } from '@odoo-stream/config';
import { postgresBinDir } from '@odoo-stream/local-infra';
import {
  sampleRss,
  slotConfirmedPast,
  startAppProcess,
  stopProcess,
  waitFor,
} from './bench-processes';
import { BenchContext } from './bench-result';
import { DebeziumConnect, DebeziumSource, debeziumTopic } from './debezium-connect';

const run = promisify(execFile);

/** odoo-stream's capture from process start to its slot confirmed past `target`. */
export async function timeCapture(
  env: Record<string, string>,
  sql: Client,
  slot: string,
  target: string,
) {
  const started = Date.now();
  const capture: ChildProcess = startAppProcess('capture', env);
  const rss = sampleRss(capture.pid as number);
  let memory: { peakMb: number; medianMb: number };
  try {
    await waitFor(async () => slotConfirmedPast(sql, slot, target), 1_800_000);
  } finally {
    memory = rss.stop();
  }
  const seconds = (Date.now() - started) / 1000;
  await stopProcess(capture);
  return { seconds, rssPeakMb: memory.peakMb, rssMedianMb: memory.medianMb };
}

/**
 * Kafka Connect start to every row change on Debezium's topics (one message per row change, so
 * the count is exact), as odoo-stream's time runs from its process start.
 */
export async function timeDebezium(
  libs: string,
  source: DebeziumSource,
  admin: Admin,
  expected: { rowChanges: number },
) {
  const topics = source.tables.map((t) => debeziumTopic(source.topicPrefix, t));
  const started = Date.now();
  const connect = DebeziumConnect.start(libs, source);
  const rss = sampleRss(connect.process.pid as number);
  let memory: { peakMb: number; medianMb: number };
  let seen = 0;
  try {
    await waitFor(async () => {
      const exited = connect.exitReason();
      if (exited) throw new Error(exited);
      seen = await topicMessages(admin, topics);
      return seen >= expected.rowChanges;
    }, 1_800_000);
  } finally {
    memory = rss.stop();
  }
  const seconds = (Date.now() - started) / 1000;
  await connect.stop();
  if (seen !== expected.rowChanges) {
    throw new Error(`Debezium wrote ${seen} messages, the workload makes ${expected.rowChanges}`);
  }
  return { seconds, rssPeakMb: memory.peakMb };
}

/** PostgreSQL's own client decoding the slot's WAL with pgoutput up to `target`, to /dev/null. */
export async function timeRecvLogical(
  url: string,
  slot: string,
  publication: string,
  target: string,
): Promise<number> {
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
    `publication_names=${publication}`,
    '--no-loop',
  ]);
  return (Date.now() - started) / 1000;
}

export async function producerPerformance(
  ctx: BenchContext,
  admin: Admin,
  records: number,
  size: number,
): Promise<number> {
  const tool = join(repoRoot(), 'scripts', 'kafka-tool.sh');
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

export async function topicMessages(admin: Admin, topics: string[]): Promise<number> {
  const existing = new Set(await admin.listTopics());
  let total = 0;
  for (const topic of topics.filter((t) => existing.has(t))) {
    for (const p of await admin.fetchTopicOffsets(topic)) total += Number(p.high) - Number(p.low);
  }
  return total;
}
