/**
 * `latency`: from COMMIT returning in Odoo's database to the change being readable from Kafka,
 * visible in the pull feed, and received as a signed webhook, at a steady 100 and 1,000 row
 * changes a second (a transaction every 10 ms inserting 1 or 10 partners). odoo-stream's apps
 * run as separate processes; three observers run meanwhile: a Kafka consumer of the partner
 * topic (the record id from the event's key), a client paging the pull feed in a tight loop, a
 * subscriber's endpoint. Then Debezium's connector alone on the same database, commit to its
 * message being readable from Kafka.
 */
import { Type } from 'avsc';
import { Consumer, Kafka } from 'kafkajs';
import { Client } from 'pg';
import { modelTopic } from '@odoo-stream/events';
import { slotStreaming, waitFor } from './bench-processes';
import { BenchContext, Figure, percentile } from './bench-result';
import { DebeziumConnect, debeziumLibs, debeziumTopic } from './debezium-connect';
import { RunningService, WebhookReceiver } from './running-service';
import { deploy } from './workload/captured-workload';

const RATES = [100, 1000];
/** A record's key on a model topic: Confluent framing (5 bytes), then Avro {id: long}. */
const KEY = Type.forSchema({ type: 'record', name: 'Key', fields: [{ name: 'id', type: 'long' }] });

/** When each record id was committed, and when each observer first saw it. */
class Observations {
  readonly committed = new Map<number, number>();
  readonly seen = new Map<string, Map<number, number>>();

  see(observer: string, recordId: number, at = performance.now()): void {
    let map = this.seen.get(observer);
    if (!map) this.seen.set(observer, (map = new Map()));
    if (!map.has(recordId)) map.set(recordId, at);
  }

  /** Latencies of the ids committed in `ids`, once the observer has seen every one. */
  latencies(observer: string, ids: number[]): number[] {
    const map = this.seen.get(observer) ?? new Map<number, number>();
    return ids.map((id) => (map.get(id) as number) - (this.committed.get(id) as number));
  }

  sawAll(observer: string, ids: number[]): boolean {
    const map = this.seen.get(observer);
    return !!map && ids.every((id) => map.has(id));
  }
}

export async function latencyBench(ctx: BenchContext): Promise<Figure[]> {
  const seconds = ctx.quick ? 2 : 15;
  const deployment = await deploy(ctx);
  const { sql, env } = deployment;
  const kafka = new Kafka({ brokers: [ctx.kafkaBrokers], logLevel: 0 });
  const seen = new Observations();
  const receiver = new WebhookReceiver();
  receiver.onArrival = (body, at) => {
    if (body.model === 'res.partner' && body.record_id) seen.see('webhook', body.record_id, at);
  };
  const endpoint = await receiver.start();
  const service = await RunningService.start(deployment, [
    'capture',
    'projector',
    'dispatcher',
    'api',
  ]);
  const figures: Figure[] = [];
  let consumer: Consumer | undefined;
  let pulling = true;
  let puller: Promise<void> = Promise.resolve();
  try {
    await service.subscribe('latency', endpoint, ['res.partner']);
    const database = new URL(deployment.odooUrl).pathname.slice(1);
    consumer = await observeTopic(
      kafka,
      modelTopic(env.TOPIC_PREFIX, database, 'res.partner'),
      (message) => {
        if (message.key) seen.see('kafka', Number(KEY.fromBuffer(message.key.subarray(5)).id));
      },
    );
    puller = pullFeed(service, seen, () => pulling);
    ctx.progress('waiting for a first change on Kafka, in the feed and as a webhook');
    await warmUp(sql, seen, ['kafka', 'feed', 'webhook']);
    for (const rate of RATES) {
      ctx.progress(`odoo-stream at ${rate} row changes/s for ${seconds} s`);
      const ids = await writeSteadily(sql, seen, rate, seconds);
      await waitFor(
        async () => ['kafka', 'feed', 'webhook'].every((o) => seen.sawAll(o, ids)),
        120_000,
      );
      figures.push(
        ...percentiles(`${rate}/s, commit to Kafka`, seen.latencies('kafka', ids), '<= 100'),
        ...percentiles(`${rate}/s, commit to the pull feed`, seen.latencies('feed', ids), '<= 250'),
        ...percentiles(
          `${rate}/s, commit to webhook received`,
          seen.latencies('webhook', ids),
          '<= 300',
        ),
      );
    }
  } finally {
    pulling = false;
    await puller.catch(() => undefined);
    await consumer?.disconnect();
    await service.stop();
    await receiver.stop();
  }
  try {
    figures.push(...(await debeziumLatency(ctx, deployment, kafka, seconds)));
  } finally {
    await deployment.close();
  }
  return figures;
}

/** Debezium's connector alone on the same database: commit to its message on Kafka. */
async function debeziumLatency(
  ctx: BenchContext,
  deployment: Awaited<ReturnType<typeof deploy>>,
  kafka: Kafka,
  seconds: number,
): Promise<Figure[]> {
  const { sql } = deployment;
  const libs = await debeziumLibs();
  const slot = 'bench_latency_debezium';
  const prefix = `${deployment.env.TOPIC_PREFIX}dbz`;
  await sql.query('CREATE PUBLICATION bench_latency_debezium FOR TABLE res_partner');
  await sql.query(`SELECT pg_create_logical_replication_slot($1, 'pgoutput')`, [slot]);
  const seen = new Observations();
  const connect = DebeziumConnect.start(libs, {
    brokers: ctx.kafkaBrokers,
    postgresUrl: deployment.odooUrl,
    slot,
    publication: 'bench_latency_debezium',
    tables: ['res_partner'],
    topicPrefix: prefix,
  });
  let consumer: Consumer | undefined;
  const figures: Figure[] = [];
  try {
    ctx.progress("Debezium's connector: waiting for it to stream");
    await waitFor(async () => {
      const exited = connect.exitReason();
      if (exited) throw new Error(exited);
      return slotStreaming(sql, slot);
    }, 180_000);
    // Its topic appears with its first change.
    await insertPartners(sql, 1);
    consumer = await observeTopic(kafka, debeziumTopic(prefix, 'res_partner'), (message) => {
      const value = message.value && JSON.parse(message.value.toString());
      const id = value?.payload?.after?.id;
      if (typeof id === 'number') seen.see('kafka', id);
    });
    await warmUp(sql, seen, ['kafka']);
    for (const rate of RATES) {
      ctx.progress(`Debezium at ${rate} row changes/s for ${seconds} s`);
      const ids = await writeSteadily(sql, seen, rate, seconds);
      await waitFor(async () => seen.sawAll('kafka', ids), 120_000);
      figures.push(
        ...percentiles(`Debezium, ${rate}/s, commit to Kafka`, seen.latencies('kafka', ids)),
      );
    }
  } finally {
    await consumer?.disconnect();
    await connect.stop();
    await sql.query('SELECT pg_drop_replication_slot($1)', [slot]).catch(() => undefined);
  }
  return figures;
}

/** A consumer of one topic from its end, joined before this returns. */
async function observeTopic(
  kafka: Kafka,
  topic: string,
  onMessage: (message: { key: Buffer | null; value: Buffer | null }) => void,
): Promise<Consumer> {
  const consumer = kafka.consumer({
    groupId: `bench-latency-${Date.now().toString(36)}`,
    maxWaitTimeInMs: 20,
  });
  await consumer.connect();
  // The topic is made by the writer's first event (capture's snapshot, Debezium's first change).
  const admin = kafka.admin();
  await admin.connect();
  await waitFor(async () => (await admin.listTopics()).includes(topic), 180_000).finally(() =>
    admin.disconnect(),
  );
  await consumer.subscribe({ topic, fromBeginning: false });
  const joined = new Promise<void>((resolve) => {
    const off = consumer.on(consumer.events.GROUP_JOIN, () => {
      off();
      resolve();
    });
  });
  await consumer.run({ eachMessage: async ({ message }) => onMessage(message) });
  await joined;
  return consumer;
}

/** A client paging the pull feed from its end in a tight loop, as a mobile back end does. */
async function pullFeed(service: RunningService, seen: Observations, going: () => boolean) {
  let cursor = 0;
  let first = true;
  while (going()) {
    const page = await service.call<{
      events: Array<{ model: string; record_id: number }>;
      last_id: number;
    }>('GET', `/api/webhooks/pull?last_event_id=${cursor}&limit=1000`);
    const at = performance.now();
    // What the feed held before the bench wrote anything is not a sample.
    if (!first) {
      for (const e of page.events) if (e.model === 'res.partner') seen.see('feed', e.record_id, at);
    }
    first = false;
    cursor = page.last_id;
    if (page.events.length === 0) await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Single partners committed every 100 ms until each observer has seen one. */
async function warmUp(sql: Client, seen: Observations, observers: string[]) {
  const ids: number[] = [];
  await waitFor(async () => {
    ids.push(...(await insertPartners(sql, 1)));
    await new Promise((resolve) => setTimeout(resolve, 100));
    return observers.every((o) => ids.some((id) => seen.seen.get(o)?.has(id)));
  }, 180_000);
}

/**
 * A transaction every 10 ms inserting rate/100 partners, for `seconds`; a transaction that
 * falls behind its slot is not made up for by a burst. Returns the ids, their commit times kept.
 */
async function writeSteadily(sql: Client, seen: Observations, rate: number, seconds: number) {
  const perTransaction = Math.max(1, Math.round(rate / 100));
  const ids: number[] = [];
  const start = performance.now();
  for (let tick = 0; tick < seconds * 100; tick++) {
    const due = start + tick * 10;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const committed = await insertPartners(sql, perTransaction);
    const at = performance.now();
    for (const id of committed) seen.committed.set(id, at);
    ids.push(...committed);
  }
  return ids;
}

async function insertPartners(sql: Client, count: number): Promise<number[]> {
  const { rows } = await sql.query<{ id: number }>(
    `INSERT INTO res_partner (name, complete_name, type, active, company_id, create_uid, write_uid,
       create_date, write_date)
     SELECT 'latency ' || g, 'latency ' || g, 'contact', true, 1, 2, 2, now() at time zone 'UTC',
       now() at time zone 'UTC'
     FROM generate_series(1, $1) g RETURNING id`,
    [count],
  );
  return rows.map((r) => r.id);
}

function percentiles(what: string, latencies: number[], p99Target?: string): Figure[] {
  return [
    { name: `${what}, p50`, value: percentile(latencies, 50), unit: 'ms' },
    { name: `${what}, p99`, value: percentile(latencies, 99), unit: 'ms', target: p99Target },
  ];
}
