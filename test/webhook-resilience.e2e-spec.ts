import { FeedStack } from './support/feed-stack';
import { WebhookReceiver } from './support/webhook-receiver';

describe('webhook delivery when the dispatcher is killed', () => {
  let stack: FeedStack;
  const receiver = new WebhookReceiver();

  beforeAll(async () => {
    stack = await FeedStack.create(['res.partner'], { DISPATCHER_SUBSCRIBER_REFRESH_MS: '300' });
    await stack.start('capture', 'projector', 'api');
  });

  afterAll(async () => {
    await stack?.close();
    await receiver.stop();
  });

  it('delivers every event at least once across kill -9, duplicates with the same webhook-id', async () => {
    const url = await receiver.start();
    await stack.createSubscriber(
      { name: 'kill test', endpoint_url: url },
      { model: 'res.partner', events: ['create'] },
      { running: false },
    );
    let dispatcher = stack.spawn('dispatcher', { LOG_LEVEL: 'info' });
    await dispatcher.waitForLog(/^delivering to subscriber/);

    const total = 400;
    const ids: number[] = [];
    const writer = (async () => {
      const { rows } = await stack.odoo.query<{ id: number }>(
        `INSERT INTO res_partner (name, active, type, write_uid)
         SELECT 'Partner ' || g, true, 'contact', 2 FROM generate_series(1, ${total / 2}) g RETURNING id`,
      );
      ids.push(...rows.map((r) => r.id));
      for (let i = 0; i < total / 2; i++) {
        const { rows: one } = await stack.odoo.query<{ id: number }>(
          `INSERT INTO res_partner (name, active, type, write_uid) VALUES ($1, true, 'contact', 2) RETURNING id`,
          [`Single ${i}`],
        );
        ids.push(one[0].id);
      }
    })();
    await receiver.waitFor(() => receiver.received.length >= 60, 'a first part of the deliveries');
    await dispatcher.kill9();
    const before = receiver.received.length;
    await writer;
    dispatcher = stack.spawn('dispatcher', { LOG_LEVEL: 'info' });
    await receiver.waitFor(
      () => ids.every((id) => receiver.received.some((h) => h.json.record_id === id)),
      `all ${total} partners`,
      120_000,
    );
    await dispatcher.stop();

    const idsByRecord = new Map<unknown, Set<string>>();
    for (const hook of receiver.received) {
      const seen = idsByRecord.get(hook.json.record_id) ?? new Set<string>();
      seen.add(hook.headers['webhook-id']);
      idsByRecord.set(hook.json.record_id, seen);
    }
    expect([...idsByRecord.values()].every((set) => set.size === 1)).toBe(true);
    expect(before).toBeLessThan(total);
  });

  it('disables a subscriber that failed every attempt for WEBHOOK_AUTO_DISABLE_AFTER_MS, with an alert', async () => {
    const failing = new WebhookReceiver(() => ({ status: 500 }));
    const url = await failing.start();
    const subscriber = await stack.createSubscriber(
      { name: 'always failing', endpoint_url: url, retry_schedule: [1, 1, 1, 1, 1, 1, 1, 1] },
      { model: 'res.partner', events: ['create'] },
      { running: false },
    );
    const dispatcher = stack.spawn('dispatcher', {
      LOG_LEVEL: 'info',
      WEBHOOK_AUTO_DISABLE_AFTER_MS: '2500',
    });
    await dispatcher.waitForLog(new RegExp(`^delivering to subscriber ${subscriber.id} `));
    await stack.odoo.query(
      `INSERT INTO res_partner (name, active, type, write_uid) VALUES ('Never Delivered', true, 'contact', 2)`,
    );
    await dispatcher.waitForLog(
      new RegExp(
        `^subscriber ${subscriber.id} \\(always failing\\) disabled: every attempt failed since`,
      ),
      30_000,
    );
    const [row] = await stack.serviceQuery(
      'SELECT enabled, disabled_reason FROM webhook_subscriber WHERE id = $1',
      [subscriber.id],
    );
    expect(row).toMatchObject({
      enabled: false,
      disabled_reason: expect.stringMatching(/every attempt failed since/),
    });
    expect(failing.received.length).toBeGreaterThanOrEqual(3);
    await dispatcher.stop();
    await failing.stop();
  });
});
