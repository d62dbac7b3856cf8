import { loadConfig } from '@odoo-stream/config';
import { internalTopic, modelTopic } from '@odoo-stream/events';
import { createKafkaClient, ensureTopics } from '@odoo-stream/kafka';
import { FeedStack, HttpAnswer } from './support/feed-stack';
import { WebhookReceiver } from './support/webhook-receiver';

/** The attempts and dead-letter topics get a small size limit, as a cluster's settings may. */
const TOPIC_LIMIT = 64 * 1024;

describe('webhook delivery behind a backlog larger than one Kafka request', () => {
  let stack: FeedStack;
  const receiver = new WebhookReceiver();

  beforeAll(async () => {
    stack = await FeedStack.create(['res.partner'], { DISPATCHER_SUBSCRIBER_REFRESH_MS: '300' });
    const kafka = createKafkaClient(loadConfig(stack.env, ['dispatcher']));
    await ensureTopics(
      kafka,
      ['delivery-attempts', 'dead-letters'].map((name) => ({
        topic: internalTopic(stack.prefix, name),
        config: { 'max.message.bytes': String(TOPIC_LIMIT) },
      })),
    );
    await stack.start('capture', 'projector', 'dispatcher', 'api');
  });

  afterAll(async () => {
    await stack?.close();
    await receiver.stop();
  });

  const deliveries = (subscriber: number) =>
    stack.serviceQuery(
      `SELECT delivery_id, record_id, event, status, attempts, body
       FROM webhook_delivery WHERE subscriber_id = $1`,
      [subscriber],
    );

  it('delivers a 600-record transaction and 300 later writes, with its lag back to 0 and the log complete', async () => {
    const url = await receiver.start();
    const s = await stack.createSubscriber(
      { name: 'backlog', endpoint_url: url, max_concurrency: 8 },
      { model: 'res.partner', events: ['create', 'write'] },
      { running: true },
    );
    // ~1 KB of comment per partner: the attempt records of one batch far exceed the limit.
    const { rows } = await stack.odoo.query<{ id: number }>(
      `INSERT INTO res_partner (name, active, type, write_uid, comment)
       SELECT 'Backlog ' || g, true, 'contact', 2, repeat('note ', 200)
       FROM generate_series(1, 600) g RETURNING id`,
    );
    const ids = rows.map((r) => r.id);
    // One record whose attempt record alone is over the limit.
    const { rows: big } = await stack.odoo.query<{ id: number }>(
      `INSERT INTO res_partner (name, active, type, write_uid, comment)
       VALUES ('Long Notes', true, 'contact', 2, repeat('long ', 30000)) RETURNING id`,
    );
    const bigId = big[0].id;
    for (const id of ids.slice(0, 300)) {
      await stack.odoo.query(`UPDATE res_partner SET phone = $2 WHERE id = $1`, [id, `+1-${id}`]);
    }

    const key = (json: Record<string, unknown>) => `${json.event}/${json.record_id}`;
    const expected = [
      ...ids.map((id) => `create/${id}`),
      `create/${bigId}`,
      ...ids.slice(0, 300).map((id) => `write/${id}`),
    ];
    await receiver.waitFor(
      () => {
        const got = new Set(receiver.received.map((h) => key(h.json)));
        return expected.every((k) => got.has(k));
      },
      `all ${expected.length} deliveries`,
      120_000,
    );

    // Every delivery settled: the subscriber's group committed up to the end of the topic.
    const admin = createKafkaClient(loadConfig(stack.env, ['api'])).admin();
    await admin.connect();
    try {
      const topic = modelTopic(
        stack.prefix,
        new URL(stack.odooUrl).pathname.slice(1),
        'res.partner',
      );
      await stack.until(async () => {
        const ends = await admin.fetchTopicOffsets(topic);
        const [committed] = await admin.fetchOffsets({
          groupId: `${stack.prefix}.dispatcher.subscriber-${s.id}`,
          topics: [topic],
        });
        const lag = ends.reduce((sum, end) => {
          const at = committed.partitions.find((p) => p.partition === end.partition);
          return sum + Number(end.high) - Number(at?.offset ?? 0);
        }, 0);
        return lag === 0 ? true : undefined;
      }, 'the consumer lag of the subscriber to reach 0');
    } finally {
      await admin.disconnect();
    }

    // The delivery log has every one as sent; the oversized one without its body.
    const rowsOf = await stack.until(async () => {
      const all = await deliveries(s.id);
      return all.filter((d) => d.status === 'sent').length === expected.length ? all : undefined;
    }, `the delivery log to show ${expected.length} sent`);
    const bigRow = rowsOf.find((d) => Number(d.record_id) === bigId);
    expect(bigRow?.body).toBeNull();
    expect(rowsOf.find((d) => Number(d.record_id) === ids[0])?.body).toMatchObject({
      record_id: ids[0],
    });
    const bigHook = receiver.received.find((h) => h.json.record_id === bigId);
    expect(String((bigHook?.json.data as Record<string, unknown>).comment)).toHaveLength(150_000);

    // A retry of the one without a body says why it cannot be done.
    const refused = await stack.http(
      'POST',
      `/api/deliveries/${bigRow?.delivery_id}/retry`,
      undefined,
      { 'X-API-Key': stack.adminKey },
    );
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/max\.message\.bytes/);
  });

  it('sends a delivery that was sent once more on retry, with its webhook-id, and logs the attempt', async () => {
    const [s] = await stack.serviceQuery(
      `SELECT id FROM webhook_subscriber WHERE name = 'backlog'`,
    );
    const sent = (await deliveries(s.id)).filter((d) => d.body !== null).slice(0, 5);
    const before = receiver.received.length;
    for (const d of sent) {
      const answer = await stack.http('POST', `/api/deliveries/${d.delivery_id}/retry`, undefined, {
        'X-API-Key': stack.adminKey,
      });
      expect(answer.status).toBe(202);
    }
    const ids = new Set(sent.map((d) => d.delivery_id));
    await receiver.waitFor(
      () =>
        receiver.received.slice(before).filter((h) => ids.has(h.headers['webhook-id'])).length ===
        5,
      'the 5 deliveries again',
    );
    const again = receiver.received.slice(before).filter((h) => ids.has(h.headers['webhook-id']));
    for (const hook of again) {
      const original = sent.find((d) => d.delivery_id === hook.headers['webhook-id']);
      expect(hook.json).toEqual(original?.body);
    }
    await stack.until(async () => {
      const rows = await deliveries(s.id);
      const retried = rows.filter((d) => ids.has(d.delivery_id as string));
      return retried.every((d) => d.status === 'sent' && d.attempts === 2) ? true : undefined;
    }, 'the log to show a second attempt of each');
  });

  it('pages through the whole delivery log with cursors, none missed or repeated', async () => {
    const [s] = await stack.serviceQuery(
      `SELECT id FROM webhook_subscriber WHERE name = 'backlog'`,
    );
    const total = (await deliveries(s.id)).length;
    const seen: string[] = [];
    let path: string | null = `/api/deliveries?subscriber=${s.id}&limit=250`;
    let pages = 0;
    while (path) {
      const page: HttpAnswer<{
        data: Array<{ delivery_id: string }>;
        has_more: boolean;
        next_cursor: string | null;
      }> = await stack.http('GET', path, undefined, {
        'X-API-Key': stack.adminKey,
      });
      expect(page.status).toBe(200);
      seen.push(...page.body.data.map((d) => d.delivery_id));
      pages += 1;
      const next = page.body.next_cursor;
      expect(page.body.has_more).toBe(next !== null);
      expect(page.headers.get('x-next-cursor')).toBe(next);
      if (next) expect(page.headers.get('link')).toContain(`cursor=${next}`);
      path = next ? `/api/deliveries?subscriber=${s.id}&limit=250&cursor=${next}` : null;
    }
    expect(pages).toBe(Math.ceil(total / 250));
    expect(new Set(seen).size).toBe(total);
    expect(seen).toHaveLength(total);
    const bad = await stack.http('GET', '/api/deliveries?cursor=abc', undefined, {
      'X-API-Key': stack.adminKey,
    });
    expect(bad.status).toBe(400);
  });
});
