import { internalTopic } from '@odoo-stream/events';
import { createKafkaClient } from '@odoo-stream/kafka';
import { loadConfig } from '@odoo-stream/config';
import { FeedStack, insertPartner } from './support/feed-stack';
import { kafkaTool } from './support/kafka-tool';
import { testKafkaBrokers } from './support/test-stack';

/** Every column but the surrogate ids, which a rebuild may number differently (feed ids rise). */
const FEED_CHECKSUM = `SELECT count(*)::int AS rows, md5(coalesce(string_agg(
  (event_id, model, record_id, event, payload, changed_fields, "timestamp", user_id, user_name,
   priority, category, is_processed, processed_at, processed_by, is_archived, archived_at,
   kafka_topic, kafka_partition, kafka_offset)::text, '|' ORDER BY event_id), '')) AS sum
  FROM update_webhook`;
const SYNC_CHECKSUM = `SELECT count(*)::int AS rows,
  md5(coalesce(string_agg(s::text, '|' ORDER BY id), '')) AS sum FROM user_sync_state s`;

describe("projections are rebuilt from the log with Kafka's own tools", () => {
  let stack: FeedStack;

  beforeAll(async () => {
    stack = await FeedStack.create(['res.partner', 'sale.order'], { LOG_LEVEL: 'warn' });
    await stack.start('capture', 'projector', 'api');
  });

  afterAll(async () => {
    await stack?.close();
  });

  /** Lag as /metrics reports it: every partition of both groups at 0. */
  async function caughtUp(): Promise<void> {
    await stack.until(async () => {
      const text = await (await fetch(`${stack.url}/metrics`)).text();
      const lags = [...text.matchAll(/^odoo_stream_consumer_lag_messages\{([^}]*)\} (\d+)/gm)]
        .filter(([, labels]) => labels.includes(`group="${stack.prefix}.projector.`))
        .map(([, labels, lag]) => ({ labels, lag: Number(lag) }));
      const groups = new Set(lags.map((l) => /group="([^"]+)"/.exec(l.labels)?.[1]));
      const both = ['feed', 'sync-state'].every((p) =>
        groups.has(`${stack.prefix}.projector.${p}`),
      );
      return both && lags.every((l) => l.lag === 0) ? true : undefined;
    }, 'both projections to catch up');
  }

  it('gives identical tables after the tables are dropped and the groups reset to earliest', async () => {
    // Traffic: creates, writes, an unlink; acknowledgements of every kind.
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) ids.push(await insertPartner(stack.odoo, `Partner ${i}`));
    for (const id of ids.slice(0, 10)) {
      await stack.odoo.query(`UPDATE res_partner SET email = $2 WHERE id = $1`, [
        id,
        `p${id}@example.com`,
      ]);
    }
    await stack.odoo.query(`DELETE FROM res_partner WHERE id = $1`, [ids[29]]);
    await stack.until(
      async () => ((await stack.feedRows()).length >= 41 ? true : undefined),
      '41 feed rows',
    );
    const rows = await stack.feedRows();
    await stack.http('POST', '/api/webhooks/mark-processed', {
      event_ids: rows.slice(0, 12).map((r) => Number(r.id)),
    });
    for (const device of ['tablet-a', 'tablet-b', 'tablet-c']) {
      await stack.http(
        'GET',
        `/api/webhooks/sync-state?user_id=3&device_id=${device}&app_type=sales_app`,
      );
      await stack.http('POST', '/api/webhooks/sync-state/update', {
        user_id: 3,
        device_id: device,
        last_event_id: Number(rows[5].id),
        events_synced: 6,
      });
    }
    const registered = await stack.http<{ device_token: string }>('POST', '/api/v2/devices', {
      user_id: 4,
      device_id: 'v2-phone',
      app_type: 'mobile_app',
    });
    const token = { Authorization: `Bearer ${registered.body.device_token}` };
    const pulled = await stack.http<{ next_sync_token: string }>(
      'POST',
      '/api/v2/sync/pull',
      { limit: 7 },
      token,
    );
    await stack.http(
      'POST',
      '/api/v2/sync/ack',
      { next_sync_token: pulled.body.next_sync_token },
      token,
    );
    await caughtUp();
    const feedBefore = (await stack.serviceQuery(FEED_CHECKSUM))[0];
    const syncBefore = (await stack.serviceQuery(SYNC_CHECKSUM))[0];
    expect(feedBefore.rows).toBe(41);
    expect(syncBefore.rows).toBe(4);

    // As an operator would: stop the projector, drop both tables, reset both groups to earliest
    // with Kafka's own tool, start the projector.
    await stack.stop('projector');
    await stack.serviceQuery('DROP TABLE update_webhook, feed_processed, user_sync_state');
    for (const projection of ['feed', 'sync-state']) {
      await kafkaTool(
        'consumer-groups',
        '--bootstrap-server',
        testKafkaBrokers(),
        '--group',
        `${stack.prefix}.projector.${projection}`,
        '--reset-offsets',
        '--to-earliest',
        '--all-topics',
        '--execute',
      );
    }
    await stack.start('projector');
    await caughtUp();
    await stack.until(
      async () => ((await stack.serviceQuery(FEED_CHECKSUM))[0].rows === 41 ? true : undefined),
      'the feed rebuilt',
    );
    // The recreated table numbers above every id handed out: a client at the old maximum
    // sees every rebuilt row.
    const oldMax = Math.max(...rows.map((r) => Number(r.id)));
    const rebuiltIds = (await stack.feedRows()).map((r) => Number(r.id));
    expect(Math.min(...rebuiltIds)).toBeGreaterThan(oldMax);
    expect((await stack.serviceQuery(FEED_CHECKSUM))[0]).toEqual(feedBefore);
    expect((await stack.serviceQuery(SYNC_CHECKSUM))[0]).toEqual(syncBefore);
  });

  it('sends what it cannot apply to the dead-letter topic with the reason, and keeps going', async () => {
    const config = loadConfig(stack.env, ['projector']);
    const kafka = createKafkaClient(config);
    const producer = kafka.producer();
    await producer.connect();
    const db = new URL(stack.odooUrl).pathname.slice(1);
    await producer.send({
      topic: `${stack.prefix}.${db}.res.partner`,
      messages: [{ key: 'x', value: Buffer.from('not avro at all') }],
    });
    await producer.send({
      topic: internalTopic(stack.prefix, 'sync-acks'),
      messages: [
        {
          key: '3/a',
          value: JSON.stringify({
            type: 'sync.updated',
            ack_id: 'z',
            at: '2026-11-22T00:00:00Z',
            user_id: -1,
            device_id: 'a',
          }),
        },
      ],
    });
    await producer.disconnect();
    const after = await insertPartner(stack.odoo, 'After The Poison');

    const letters: Array<{ headers: Record<string, string>; value: string }> = [];
    const consumer = kafka.consumer({ groupId: `${stack.prefix}-dlq-reader` });
    await consumer.connect();
    await consumer.subscribe({
      topics: [internalTopic(stack.prefix, 'dead-letters')],
      fromBeginning: true,
    });
    await consumer.run({
      eachMessage: async ({ message }) => {
        letters.push({
          value: message.value?.toString() ?? '',
          headers: Object.fromEntries(
            Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]),
          ),
        });
      },
    });
    // Every projection reading the model topic (the feed, Telegram's) files its own letter.
    const from = (consumer: string, value: (v: string) => boolean) =>
      letters.find(
        (l) =>
          l.headers['odoo-stream-consumer'] === `${stack.prefix}.projector.${consumer}` &&
          value(l.value),
      );
    await stack.until(
      async () =>
        from('feed', (v) => v === 'not avro at all') &&
        from('sync-state', (v) => v.includes('sync.updated'))
          ? true
          : undefined,
      'the dead letters of the feed and the sync state',
    );
    await consumer.disconnect();
    expect(from('feed', (v) => v === 'not avro at all')?.headers).toMatchObject({
      'odoo-stream-consumer': `${stack.prefix}.projector.feed`,
      'odoo-stream-reason': expect.stringMatching(/Confluent wire format/),
      'odoo-stream-source': expect.stringMatching(/res\.partner\/0@\d+/),
    });
    expect(from('sync-state', (v) => v.includes('sync.updated'))?.headers).toMatchObject({
      'odoo-stream-consumer': `${stack.prefix}.projector.sync-state`,
      'odoo-stream-reason': expect.stringMatching(/user_id is not a non-negative integer/),
    });
    // The feed kept going past the poison message.
    await stack.until(
      async () =>
        (await stack.feedRows(`record_id = ${after} AND model = 'res.partner'`)).length
          ? true
          : undefined,
      'the partner after the poison',
    );
  });
});
