import { modelTopic } from '@odoo-stream/events';
import { FeedStack } from './support/feed-stack';
import { replayTraffic, restoreOdooDump } from './support/odoo-fixture';
import { WebhookReceiver } from './support/webhook-receiver';

type Payload = Record<string, unknown> & { _metadata: Record<string, unknown> };
type Pulled = {
  events: Array<{ id: number; model: string; record_id: number; event: string; payload: Payload }>;
  has_more: boolean;
  last_id: number;
};

/**
 * The add-on's payload on a real Odoo 17 database (the recorded dump and its traffic): names are
 * Odoo's display names, also where they do not live in the target's own table.
 */
describe("payloads in the add-on's shape, with Odoo's display names", () => {
  let stack: FeedStack;
  let odooUrl: string;
  const receiver = new WebhookReceiver();

  beforeAll(async () => {
    odooUrl = await restoreOdooDump();
    stack = await FeedStack.create(
      ['stock.move', 'account.move', 'sale.order', 'res.users', 'mail.message'],
      { FEED_INCLUDE_SNAPSHOT: 'true', DISPATCHER_SUBSCRIBER_REFRESH_MS: '300' },
      odooUrl,
    );
    await stack.start('capture', 'projector', 'api', 'dispatcher');
    await stack.createSubscriber(
      { name: 'moves', endpoint_url: await receiver.start() },
      { model: 'stock.move', events: ['create', 'write'] },
      { running: true },
    );
    await replayTraffic(odooUrl);
  });

  afterAll(async () => {
    await stack?.close();
    await receiver.stop();
  });

  /** Every row of the feed for a model, through the pull API as a client reads it. */
  async function pullAll(model: string) {
    const events: Pulled['events'] = [];
    let after = 0;
    for (;;) {
      const page = await stack.http<Pulled>(
        'GET',
        `/api/webhooks/pull?models=${model}&limit=1000&last_event_id=${after}`,
      );
      events.push(...page.body.events);
      if (!page.body.has_more) return events;
      after = page.body.last_id;
    }
  }

  async function latest(
    model: string,
    recordId: number,
    where: (p: Payload) => boolean = () => true,
  ) {
    return stack.until(async () => {
      const found = (await pullAll(model)).filter(
        (e) => e.record_id === recordId && where(e.payload),
      );
      return found.length > 0 ? found[found.length - 1] : undefined;
    }, `a ${model} ${recordId} row`);
  }

  it('names a product by its template, code and variant values, and a unit by its translated name', async () => {
    const move = await latest('stock.move', 1);
    expect(move.payload).toMatchObject({
      id: 1,
      product_id: { id: 30, name: '[FURN_0789] Individual Workplace' },
      // product_uom does not end in _id: Odoo's metadata says it is a many2one.
      product_uom: { id: 1, name: 'Units' },
      _metadata: { model: 'stock.move', id: 1, operation: 'create' },
    });
    expect(move.payload).not.toHaveProperty('create_uid');
    expect(move.payload).not.toHaveProperty('write_uid');
    const variant = await latest('stock.move', 8);
    expect(variant.payload.product_id).toEqual({
      id: 12,
      name: '[FURN_0096] Customizable Desk (Steel, White)',
    });
  });

  it("names a payment by its journal entry, and sends x2many as [{id, name}] in Odoo's order", async () => {
    const invoice = await latest(
      'account.move',
      26,
      (p) => (p.payment_id as { id: unknown }).id === 1,
    );
    expect(invoice.payload.payment_id).toEqual({ id: 1, name: 'PBNK1/2026/00001' });
    const order = await latest('sale.order', 3);
    expect(order.payload).toMatchObject({
      partner_id: { id: 12, name: 'Ready Mat' },
      date_order: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/),
      client_order_ref: false,
      tag_ids: expect.any(Array),
      _metadata: { model: 'sale.order', id: 3, display_name: 'S00003' },
    });
    expect((order.payload.order_line as unknown[]).slice(0, 2)).toEqual([
      { id: 6, name: 'S00003 - Virtual Interior Design' },
      { id: 7, name: 'S00003 - [FURN_7777] Office Chair' },
    ]);
    const write = (await pullAll('sale.order')).find((e) => e.event === 'write');
    expect(write?.payload._changed_fields).toEqual(expect.any(Array));
    expect(write?.payload._metadata.operation).toBe('write');
  });

  it('gives webhook bodies the same display names', async () => {
    await receiver.waitFor(() => receiver.received.length > 0, 'a stock.move webhook');
    const data = receiver.received[0].json.data as Record<string, { id: number; name: string }>;
    const {
      rows: [product],
    } = await stack.odoo.query<{ code: string | null; name: string }>(
      `SELECT p.default_code AS code, t.name->>'en_US' AS name
         FROM product_product p JOIN product_template t ON t.id = p.product_tmpl_id WHERE p.id = $1`,
      [data.product_id.id],
    );
    const {
      rows: [uom],
    } = await stack.odoo.query<{ name: string }>(
      `SELECT name->>'en_US' AS name FROM uom_uom WHERE id = $1`,
      [data.product_uom.id],
    );
    const label = product.code ? `[${product.code}] ${product.name}` : product.name;
    expect(data.product_id.name.startsWith(label)).toBe(true);
    expect(data.product_uom.name).toBe(uom.name);
  });

  it('captures models beyond the defaults (messages, users) without secret columns; unknown models match nothing', async () => {
    const messages = await stack.until(async () => {
      const page = await stack.http<Pulled>(
        'GET',
        '/api/webhooks/pull?models=mail.message,mail.channel&limit=1000',
      );
      expect(page.status).toBe(200);
      return page.body.events.length > 0 ? page.body.events : undefined;
    }, 'mail.message rows');
    expect(new Set(messages.map((e) => e.model))).toEqual(new Set(['mail.message']));
    const users = await stack.until(async () => {
      const rows = await pullAll('res.users');
      return rows.length > 0 ? rows : undefined;
    }, 'res.users rows');
    for (const user of users) {
      expect(user.payload).toHaveProperty('login');
      expect(user.payload).not.toHaveProperty('password');
      expect(user.payload).not.toHaveProperty('totp_secret');
    }
    const db = new URL(odooUrl).pathname.slice(1);
    const subject = `${modelTopic(stack.prefix, db, 'res.users')}-value`;
    const schema = await stack.http<{ schema: string }>(
      'GET',
      `/subjects/${subject}/versions/latest`,
    );
    expect(schema.status).toBe(200);
    expect(schema.body.schema).toContain('"login"');
    expect(schema.body.schema).not.toContain('"password"');
  });
});
