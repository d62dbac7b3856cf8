import { Webhook } from 'standardwebhooks';
import { FeedStack, insertPartner } from './support/feed-stack';
import { ReceivedWebhook, WebhookReceiver } from './support/webhook-receiver';

describe('webhook delivery', () => {
  let stack: FeedStack;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    stack = await FeedStack.create(['res.partner', 'sale.order', 'crm.lead'], {
      DISPATCHER_SUBSCRIBER_REFRESH_MS: '300',
    });
    await stack.start('capture', 'projector', 'dispatcher', 'api');
  });

  afterAll(async () => {
    await stack?.close();
    await Promise.all(receivers.map((r) => r.stop()));
  });

  async function receiver(answer?: ConstructorParameters<typeof WebhookReceiver>[0]) {
    const r = new WebhookReceiver(answer);
    receivers.push(r);
    return { receiver: r, url: await r.start() };
  }

  /** A subscriber with one subscription; resolves once the dispatcher runs its worker. */
  async function subscribe(
    subscriber: Record<string, unknown>,
    subscription: Record<string, unknown> = { model: 'res.partner', events: ['create', 'write'] },
  ) {
    const admin = { 'X-API-Key': stack.adminKey };
    const created = await stack.http<{ id: number; secret: string }>(
      'POST',
      '/api/subscribers',
      { name: 'test', ...subscriber },
      admin,
    );
    expect(created.status).toBe(201);
    const added = await stack.http(
      'POST',
      `/api/subscribers/${created.body.id}/subscriptions`,
      subscription,
      admin,
    );
    expect(added.status).toBe(201);
    await stack.until(async () => {
      const groups = await stack.serviceQuery('SELECT 1'); // the dispatcher reads subscribers every 300 ms
      return groups ? true : undefined;
    }, 'the dispatcher');
    await new Promise((r) => setTimeout(r, 1500));
    return created.body;
  }

  const deliveries = (subscriber: number) =>
    stack.serviceQuery(
      `SELECT * FROM webhook_delivery WHERE subscriber_id = $1 ORDER BY first_attempt_at`,
      [subscriber],
    );

  it('signs every request so that the Standard Webhooks reference verification accepts it', async () => {
    const { receiver: r, url } = await receiver();
    const s = await subscribe({ endpoint_url: url, signature_header: 'X-Signature-256' });
    const id = await insertPartner(stack.odoo, 'Signed Partner');
    await r.waitFor(
      () => r.received.some((h) => (h.json.record_id as number) === id),
      'the webhook',
    );
    const hook = r.received.find((h) => h.json.record_id === id) as ReceivedWebhook;
    expect(new Webhook(s.secret).verify(hook.body, hook.headers)).toMatchObject({ record_id: id });
    expect(hook.json).toMatchObject({
      event_id: expect.any(String),
      model: 'res.partner',
      event: 'create',
      priority: 'medium',
      category: 'contacts',
      data: expect.objectContaining({
        id,
        name: 'Signed Partner',
        write_uid: { id: 2, name: null },
      }),
      changed_fields: expect.any(Array),
    });
    expect(hook.headers['x-signature-256']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(hook.headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
    await stack.until(
      async () => ((await deliveries(s.id)).find((d) => d.status === 'sent') ? true : undefined),
      'the delivery log',
    );
    const [row] = await deliveries(s.id);
    expect(row).toMatchObject({
      delivery_id: hook.headers['webhook-id'],
      status: 'sent',
      attempts: 1,
      http_status: 200,
    });
  });

  it('retries a 5xx on the schedule and keeps the record in order behind it', async () => {
    const { receiver: r, url } = await receiver((hook) =>
      hook.json.event === 'create' &&
      r.received.filter((h) => h.json.event === 'create').length === 1
        ? { status: 503 }
        : { status: 200 },
    );
    const s = await subscribe({ endpoint_url: url, retry_schedule: [1] });
    const id = await insertPartner(stack.odoo, 'Retried Partner');
    await stack.odoo.query(`UPDATE res_partner SET email = 'after@example.com' WHERE id = $1`, [
      id,
    ]);
    await r.waitFor(() => r.received.length >= 3, 'three requests');
    expect(r.received.map((h) => h.json.event)).toEqual(['create', 'create', 'write']);
    expect(r.received[1].at - r.received[0].at).toBeGreaterThanOrEqual(900);
    expect(r.received[0].headers['webhook-id']).toBe(r.received[1].headers['webhook-id']);
    await stack.until(
      async () => ((await deliveries(s.id)).length === 2 ? true : undefined),
      'two deliveries',
    );
    const detail = await stack.http<{ attempts: Array<{ status: string; http_status: number }> }>(
      'GET',
      `/api/deliveries/${r.received[0].headers['webhook-id']}`,
      undefined,
      { 'X-API-Key': stack.adminKey },
    );
    expect(detail.body.attempts.map((a) => [a.status, a.http_status])).toEqual([
      ['failed', 503],
      ['sent', 200],
    ]);
  });

  it('gives up after the last retry: dead, in the dead-letter topic, and visible', async () => {
    const { receiver: r, url } = await receiver(() => ({ status: 500 }));
    const s = await subscribe({ endpoint_url: url, retry_schedule: [1, 1] });
    await insertPartner(stack.odoo, 'Dead Letter Partner');
    await r.waitFor(() => r.received.length >= 3, 'three attempts');
    await stack.until(
      async () => ((await deliveries(s.id))[0]?.status === 'dead' ? true : undefined),
      'a dead delivery',
    );
    const listed = await stack.http<Array<{ status: string }>>(
      'GET',
      `/api/deliveries?subscriber=${s.id}&status=dead`,
      undefined,
      {
        'X-API-Key': stack.adminKey,
      },
    );
    expect(listed.body).toHaveLength(1);
    await new Promise((r2) => setTimeout(r2, 1500));
    expect(r.received).toHaveLength(3);
  });
});
