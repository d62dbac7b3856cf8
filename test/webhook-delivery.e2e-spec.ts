import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { freePort } from '@odoo-stream/local-infra';
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
  /** A subscriber with one subscription; resolves once the dispatcher reads for it. */
  const subscribe = (
    subscriber: Record<string, unknown>,
    subscription: Record<string, unknown> = { model: 'res.partner', events: ['create', 'write'] },
  ) => stack.createSubscriber(subscriber, subscription, { running: true });

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
      category: 'business',
      data: expect.objectContaining({
        id,
        name: 'Signed Partner',
        write_uid: { id: 2, name: 'Mitchell Admin' },
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

  it('keeps X-Signature-256 on the previous secret during a rotation until the receiver confirms', async () => {
    const { receiver: r, url } = await receiver();
    const s = await subscribe({ endpoint_url: url, signature_header: 'X-Signature-256' });
    const admin = { 'X-API-Key': stack.adminKey };
    const rotated = await stack.http<{
      secret: string;
      rotating: boolean;
      rotation_ends_at: string;
    }>('PATCH', `/api/subscribers/${s.id}`, { rotate_secret: true }, admin);
    expect(rotated.body).toMatchObject({ rotating: true, rotation_ends_at: expect.any(String) });
    // The dispatcher picks up the new settings before the next change.
    await stack.until(async () => {
      const id = await insertPartner(stack.odoo, 'During Rotation');
      await r.waitFor(() => r.received.some((h) => h.json.record_id === id), 'the webhook');
      const hook = r.received.find((h) => h.json.record_id === id) as ReceivedWebhook;
      return verifies(rotated.body.secret, hook) ? hook : undefined;
    }, 'a delivery signed after the rotation');
    const during = r.received[r.received.length - 1];
    expect(during.headers['x-signature-256']).toBe(plainSignature(s.secret, during.body));
    expect(verifies(s.secret, during)).toBe(true);

    const finished = await stack.http(
      'PATCH',
      `/api/subscribers/${s.id}`,
      { finish_rotation: true },
      admin,
    );
    expect(finished.body).toMatchObject({ rotating: false, rotation_ends_at: null });
    const after = await stack.until(async () => {
      const id = await insertPartner(stack.odoo, 'After Rotation');
      await r.waitFor(() => r.received.some((h) => h.json.record_id === id), 'the webhook');
      const hook = r.received.find((h) => h.json.record_id === id) as ReceivedWebhook;
      return verifies(s.secret, hook) ? undefined : hook;
    }, 'a delivery signed after the rotation finished');
    expect(after.headers['x-signature-256']).toBe(plainSignature(rotated.body.secret, after.body));
    expect(verifies(rotated.body.secret, after)).toBe(true);
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
      ['pending', null],
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
    const listed = await stack.http<{ data: Array<{ status: string }>; count: number }>(
      'GET',
      `/api/deliveries?subscriber=${s.id}&status=dead`,
      undefined,
      {
        'X-API-Key': stack.adminKey,
      },
    );
    expect(listed.body.data).toHaveLength(1);
    expect(listed.body).toMatchObject({
      success: true,
      count: 1,
      has_more: false,
      next_cursor: null,
    });
    await new Promise((r2) => setTimeout(r2, 1500));
    expect(r.received).toHaveLength(3);

    // BridgeCore's dead-letter view reads webhook.event over Odoo's JSON-RPC: the same delivery.
    const rpc = async (model: string, method: string, args: unknown[], kwargs = {}) => {
      const answer = await fetch(`${stack.url}/web/dataset/call_kw`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-API-Key': stack.apiKey },
        body: JSON.stringify({
          jsonrpc: '2.0',
          method: 'call',
          id: 1,
          params: { model, method, args, kwargs },
        }),
      });
      return JSON.parse(await answer.text()) as { result: Array<Record<string, unknown>> };
    };
    const dead = await rpc(
      'webhook.event',
      'search_read',
      [
        [
          ['status', '=', 'dead'],
          ['subscriber_id', '=', s.id],
        ],
      ],
      {
        fields: [
          'id',
          'model',
          'record_id',
          'event',
          'timestamp',
          'priority',
          'category',
          'retry_count',
          'max_retries',
          'error_message',
          'error_type',
          'error_code',
          'subscriber_id',
        ],
      },
    );
    expect(dead.result).toEqual([
      expect.objectContaining({
        id: expect.any(Number),
        model: 'res.partner',
        event: 'create',
        priority: 'medium',
        category: 'business',
        retry_count: 3,
        max_retries: 2,
        error_code: 500,
        subscriber_id: [s.id, expect.any(String)],
      }),
    ]);

    const withoutSince = await stack.http('POST', `/api/subscribers/${s.id}/recover`, undefined, {
      'X-API-Key': stack.adminKey,
    });
    expect(withoutSince.status).toBe(400);
    expect(String(withoutSince.body.message)).toContain('since is required');

    // The endpoint is fixed: recover re-sends what died since then, with the same webhook-id.
    r.answerWith(() => ({ status: 200 }));
    const since = new Date(Date.now() - 60_000).toISOString();
    const recovered = await stack.http(
      'POST',
      `/api/subscribers/${s.id}/recover?since=${since}`,
      undefined,
      {
        'X-API-Key': stack.adminKey,
      },
    );
    expect(recovered).toMatchObject({ status: 202, body: { requeued: 1 } });
    await r.waitFor(() => r.received.length === 4, 'the recovered delivery');
    expect(r.received[3].headers['webhook-id']).toBe(r.received[0].headers['webhook-id']);
    expect(r.received[3].body).toBe(r.received[0].body);
    await stack.until(
      async () => ((await deliveries(s.id))[0]?.status === 'sent' ? true : undefined),
      'the delivery sent',
    );
    expect((await deliveries(s.id))[0]).toMatchObject({ attempts: 4 });

    // BridgeCore's retry button: webhook.event retry_event over JSON-RPC, one more attempt.
    const retried = await rpc('webhook.event', 'retry_event', [[dead.result[0].id]], {
      force: true,
    });
    expect(retried.result).toMatchObject({ success: true, new_status: 'pending' });
    await r.waitFor(() => r.received.length === 5, 'the retried delivery');
    expect(r.received[4].headers['webhook-id']).toBe(r.received[0].headers['webhook-id']);
  });

  it('tests a connection and says in plain words why it failed', async () => {
    const { receiver: r, url } = await receiver();
    const admin = { 'X-API-Key': stack.adminKey };
    const ok = await stack.http<{ id: number; secret: string }>(
      'POST',
      '/api/subscribers',
      { name: 'conn', endpoint_url: url },
      admin,
    );
    const tested = await stack.http(
      'POST',
      `/api/subscribers/${ok.body.id}/test`,
      undefined,
      admin,
    );
    expect(tested.body).toMatchObject({
      success: true,
      status: 200,
      latency_ms: expect.any(Number),
      reason: null,
    });
    expect(r.received[0].json).toMatchObject({ test: true, subscriber: { id: ok.body.id } });
    expect(
      new Webhook(ok.body.secret).verify(r.received[0].body, r.received[0].headers),
    ).toBeTruthy();

    const closed = await stack.http<{ id: number }>(
      'POST',
      '/api/subscribers',
      { name: 'closed', endpoint_url: `http://127.0.0.1:${await freePort()}/hooks` },
      admin,
    );
    const refused = await stack.http(
      'POST',
      `/api/subscribers/${closed.body.id}/test`,
      undefined,
      admin,
    );
    expect(refused.body).toMatchObject({
      success: false,
      status: null,
      reason: expect.stringMatching(/refused the connection/),
    });

    r.answerWith(() => ({ status: 302, headers: { Location: 'http://elsewhere.example/' } }));
    const redirected = await stack.http(
      'POST',
      `/api/subscribers/${ok.body.id}/test`,
      undefined,
      admin,
    );
    expect(redirected.body).toMatchObject({
      success: false,
      status: 302,
      reason: expect.stringMatching(/redirects are not followed/),
    });
  });

  it('disables a subscriber whose endpoint answers 410 Gone', async () => {
    const { receiver: r, url } = await receiver(() => ({ status: 410 }));
    const s = await subscribe({ endpoint_url: url });
    await insertPartner(stack.odoo, 'Gone Partner');
    await stack.until(async () => {
      const [row] = await stack.serviceQuery(
        'SELECT enabled, disabled_reason FROM webhook_subscriber WHERE id = $1',
        [s.id],
      );
      return row.enabled ? undefined : row;
    }, 'the subscriber disabled');
    const [row] = await stack.serviceQuery(
      'SELECT disabled_reason FROM webhook_subscriber WHERE id = $1',
      [s.id],
    );
    expect(row.disabled_reason).toMatch(/410 Gone/);
    await insertPartner(stack.odoo, 'After Gone');
    await new Promise((r2) => setTimeout(r2, 1500));
    expect(r.received).toHaveLength(1);
  });

  it('waits what Retry-After asks on 429', async () => {
    const { receiver: r, url } = await receiver((_, i) =>
      i === 0 ? { status: 429, headers: { 'Retry-After': '3' } } : { status: 200 },
    );
    await subscribe({ endpoint_url: url, retry_schedule: [1] });
    await insertPartner(stack.odoo, 'Throttled Partner');
    await r.waitFor(() => r.received.length >= 2, 'the retry');
    expect(r.received[1].at - r.received[0].at).toBeGreaterThanOrEqual(2900);
  });

  it('keeps delivering to one subscriber at full speed while another endpoint hangs', async () => {
    const { receiver: slow, url: slowUrl } = await receiver(() => ({ status: 200, hang: true }));
    const { receiver: fast, url: fastUrl } = await receiver();
    const slowSubscriber = await subscribe({
      endpoint_url: slowUrl,
      timeout_ms: 60_000,
      max_concurrency: 1,
    });
    await subscribe({ endpoint_url: fastUrl });
    const started = Date.now();
    const ids: number[] = [];
    for (let i = 0; i < 20; i++) ids.push(await insertPartner(stack.odoo, `Isolated ${i}`));
    await fast.waitFor(
      () => ids.every((id) => fast.received.some((h) => h.json.record_id === id)),
      'all 20 at the fast endpoint',
      20_000,
    );
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(slow.received.length).toBeLessThanOrEqual(1);
    // What waits behind the hanging request shows in the log as pending.
    await stack.until(
      async () => {
        const waiting = await stack.http<{ data: Array<{ status: string }> }>(
          'GET',
          `/api/deliveries?subscriber=${slowSubscriber.id}&status=pending`,
          undefined,
          { 'X-API-Key': stack.adminKey },
        );
        return waiting.body.data.length >= 19 ? true : undefined;
      },
      'the waiting deliveries as pending',
      20_000,
    );
    // A pending delivery has made no request: the stats count it apart, not as an attempt.
    const stats = await stack.http<Record<string, number>>(
      'GET',
      `/api/subscribers/${slowSubscriber.id}/stats`,
      undefined,
      { 'X-API-Key': stack.adminKey },
    );
    expect(stats.body.pending).toBeGreaterThanOrEqual(19);
    expect(stats.body.attempts).toBeLessThanOrEqual(1);
  });

  it('sends exactly the events its domain and tracked fields select', async () => {
    const { receiver: r, url } = await receiver();
    await subscribe(
      { endpoint_url: url },
      {
        model: 'sale.order',
        events: ['create', 'write'],
        tracked_fields: ['state'],
        filter_domain: "[('state','=','sale'),('amount_total','>',1000)]",
      },
    );
    const order = async (name: string, state: string, total: number) =>
      (
        await stack.odoo.query<{ id: number }>(
          `INSERT INTO sale_order (name, company_id, date_order, partner_id, partner_invoice_id,
             partner_shipping_id, picking_policy, warehouse_id, state, amount_total, write_uid)
           VALUES ($1, 1, now(), 1, 1, 1, 'direct', 1, $2, $3, 2) RETURNING id`,
          [name, state, total],
        )
      ).rows[0].id;
    const big = await order('S-BIG', 'sale', 5000);
    await order('S-SMALL', 'sale', 10);
    const draft = await order('S-DRAFT', 'draft', 9000);
    await stack.odoo.query(`UPDATE sale_order SET note = 'untracked' WHERE id = $1`, [big]);
    await stack.odoo.query(`UPDATE sale_order SET state = 'sale' WHERE id = $1`, [draft]);
    await r.waitFor(() => r.received.length >= 2, 'two orders');
    await new Promise((r2) => setTimeout(r2, 1500));
    expect(r.received.map((h) => [h.json.record_id, h.json.event])).toEqual([
      [big, 'create'],
      [draft, 'write'],
    ]);
  });

  it("renders templates and the G-Assistant preset's bodies, and dead-letters a body that is not JSON", async () => {
    const { receiver: r, url } = await receiver();
    const templated = await subscribe(
      { endpoint_url: url },
      {
        model: 'res.partner',
        events: ['create'],
        template: '{"text": "New contact {{ record.name | uppercase }}", "id": {{ record_id }}}',
      },
    );
    const { receiver: g, url: gUrl } = await receiver();
    const gAssistant = await subscribe(
      { endpoint_url: gUrl, preset: 'g-assistant' },
      { model: 'crm.lead', events: ['create', 'write'] },
    );
    const id = await insertPartner(stack.odoo, 'Templated');
    const { rows } = await stack.odoo.query<{ id: number }>(
      `INSERT INTO crm_lead (name, type, active, partner_name, email_from, expected_revenue, probability, write_uid)
       VALUES ('Big deal', 'opportunity', true, 'Deco Addict', 'buyer@deco.example', 50000, 40, 2) RETURNING id`,
    );
    await r.waitFor(() => r.received.length >= 1, 'the templated body');
    expect(r.received[0].json).toEqual({ text: 'New contact TEMPLATED', id });
    await g.waitFor(() => g.received.length >= 1, 'the G-Assistant body');
    expect(g.received[0].json).toEqual({
      event: 'lead_updated',
      timestamp: expect.any(String),
      data: {
        id: rows[0].id,
        name: 'Big deal',
        partner_name: 'Deco Addict',
        email_from: 'buyer@deco.example',
        stage_name: null,
        expected_revenue: 50000,
        probability: 40,
      },
    });
    expect(g.received[0].headers['x-signature-256']).toMatch(/^sha256=/);

    // A sale order: partner_name is the name of the record partner_id points to.
    await stack.http(
      'POST',
      `/api/subscribers/${gAssistant.id}/subscriptions`,
      { model: 'sale.order', events: ['create'] },
      {
        'X-API-Key': stack.adminKey,
      },
    );
    await new Promise((r2) => setTimeout(r2, 1500));
    const customer = await insertPartner(stack.odoo, 'Gemini Furniture');
    const { rows: orders } = await stack.odoo.query<{ id: number }>(
      `INSERT INTO sale_order (name, company_id, date_order, partner_id, partner_invoice_id,
         partner_shipping_id, picking_policy, warehouse_id, state, amount_total, write_uid)
       VALUES ('S-GA', 1, now(), $1, $1, $1, 'direct', 1, 'sale', 320.5, 2) RETURNING id`,
      [customer],
    );
    await g.waitFor(
      () => g.received.some((h) => h.json.event === 'sale_order_updated'),
      'the sale order body',
    );
    expect(g.received.find((h) => h.json.event === 'sale_order_updated')?.json).toEqual({
      event: 'sale_order_updated',
      timestamp: expect.any(String),
      data: {
        id: orders[0].id,
        name: 'S-GA',
        partner_name: 'Gemini Furniture',
        state: 'sale',
        amount_total: 320.5,
      },
    });

    // A name with a quote makes this template's output invalid JSON: dead, with the reason.
    await insertPartner(stack.odoo, 'Quote " Breaker');
    await stack.until(async () => {
      const [row] = await stack.serviceQuery(
        `SELECT status, error_message FROM webhook_delivery WHERE subscriber_id = $1 AND status = 'dead'`,
        [templated.id],
      );
      return row;
    }, 'the dead delivery');
    const [dead] = await stack.serviceQuery(
      `SELECT error_class, error_message FROM webhook_delivery WHERE subscriber_id = $1 AND status = 'dead'`,
      [templated.id],
    );
    expect(dead).toMatchObject({
      error_class: 'template',
      error_message: expect.stringMatching(/not JSON/),
    });
  });

  it('batches events when asked: full batches at once, the rest after the timeout', async () => {
    const { receiver: r, url } = await receiver();
    const s = await subscribe(
      { endpoint_url: url, batch_size: 5, batch_timeout_ms: 1000 },
      { model: 'res.partner', events: ['create'] },
    );
    const { rows } = await stack.odoo.query<{ id: number }>(
      `INSERT INTO res_partner (name, active, type, write_uid)
       SELECT 'Batched ' || g, true, 'contact', 2 FROM generate_series(1, 7) g RETURNING id`,
    );
    await r.waitFor(() => r.received.length >= 2, 'two batches');
    const events = r.received.flatMap((h) => (h.json.events as Array<{ record_id: number }>) ?? []);
    expect(r.received.every((h) => h.json.batch === true)).toBe(true);
    expect(r.received.map((h) => (h.json.events as unknown[]).length)).toEqual([5, 2]);
    expect(events.map((e) => e.record_id)).toEqual(rows.map((row) => row.id));
    expect(
      new Webhook(
        (await stack.serviceQuery('SELECT secret FROM webhook_subscriber WHERE id = $1', [s.id]))[0]
          .secret,
      ).verify(r.received[0].body, r.received[0].headers),
    ).toBeTruthy();
  });

  it('gives up on an endpoint that does not answer within its timeout, and retries it', async () => {
    const { receiver: r, url } = await receiver(() => ({ status: 200, hang: true }));
    const s = await subscribe({ endpoint_url: url, timeout_ms: 300, retry_schedule: [1] });
    await insertPartner(stack.odoo, 'Timed Out Partner');
    await r.waitFor(() => r.received.length >= 2, 'the retry after a timeout');
    await stack.until(
      async () => ((await deliveries(s.id))[0]?.status === 'dead' ? true : undefined),
      'a dead delivery',
    );
    const [row] = await deliveries(s.id);
    expect(row).toMatchObject({
      attempts: 2,
      error_class: 'timeout',
      error_message: 'no answer within the timeout',
      http_status: null,
    });
  });
});

function verifies(secret: string, hook: ReceivedWebhook): boolean {
  try {
    new Webhook(secret).verify(hook.body, hook.headers);
    return true;
  } catch {
    return false;
  }
}

function plainSignature(secret: string, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
}
