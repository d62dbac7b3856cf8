import { Webhook } from 'standardwebhooks';
import { createHmac } from 'node:crypto';
import { AppProcess } from './support/app-process';
import { FeedStack } from './support/feed-stack';
import { PrivateBroker } from './support/private-broker';
import { ReceivedWebhook, WebhookReceiver } from './support/webhook-receiver';

/** Runs on a broker of its own: the first test kills it. */
describe('webhook delivery when the dispatcher and the broker are killed', () => {
  let stack: FeedStack;
  const broker = new PrivateBroker();
  const standard = new WebhookReceiver();
  const gAssistant = new WebhookReceiver();
  let apps: AppProcess[] = [];
  const dispatchersForDump: AppProcess[] = [];

  beforeAll(async () => {
    await broker.start();
    stack = await FeedStack.create(['res.partner'], {
      KAFKA_BROKERS: broker.address,
      DISPATCHER_SUBSCRIBER_REFRESH_MS: '300',
    });
    // Every app its own process, as the broker's death reaches each of them.
    apps = ['capture', 'projector', 'api'].map((app) =>
      stack.spawn(app as 'api', { LOG_LEVEL: 'info' }),
    );
    await Promise.all(apps.map((a) => a.waitForLog(/^ready/)));
  });

  afterAll(async () => {
    if (process.env.DUMP_APP_LOGS) {
      const { writeFileSync } = await import('node:fs');
      [...apps, ...dispatchersForDump].forEach((a, i) =>
        writeFileSync(`/tmp/app-${i}.log`, a.lines.map((l) => JSON.stringify(l)).join('\n')),
      );
    }
    await stack?.close();
    await standard.stop();
    await gAssistant.stop();
    await broker.stop();
  });

  it('delivers every change to every subscriber across two kill -9 of the dispatcher', async () => {
    const one = await stack.createSubscriber(
      { name: 'standard', endpoint_url: await standard.start() },
      { model: 'res.partner', events: ['create'] },
      { running: false },
    );
    const two = await stack.createSubscriber(
      {
        name: 'g-assistant style',
        endpoint_url: await gAssistant.start(),
        signature_header: 'X-Signature-256',
      },
      { model: 'res.partner', events: ['create'] },
      { running: false },
    );
    let dispatcher = stack.spawn('dispatcher', { LOG_LEVEL: 'info' });
    dispatchersForDump.push(dispatcher);
    dispatchersForDump.push(dispatcher);
    await dispatcher.waitForLog(new RegExp(`^delivering to subscriber ${two.id} `));

    // One transaction of many, then single ones at a steady pace while things are killed.
    const ids: number[] = [];
    let writing = true;
    const writer = (async () => {
      const { rows } = await stack.odoo.query<{ id: number }>(
        `INSERT INTO res_partner (name, active, type, write_uid)
         SELECT 'Partner ' || g, true, 'contact', 2 FROM generate_series(1, 300) g RETURNING id`,
      );
      ids.push(...rows.map((r) => r.id));
      for (let i = 0; writing || i < 300; i++) {
        const { rows: single } = await stack.odoo.query<{ id: number }>(
          `INSERT INTO res_partner (name, active, type, write_uid) VALUES ($1, true, 'contact', 2) RETURNING id`,
          [`Single ${i}`],
        );
        ids.push(single[0].id);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const firstPart = () => standard.received.length >= 100 && gAssistant.received.length >= 100;
    await standard.waitFor(firstPart, 'a first part of the deliveries');
    await dispatcher.kill9();
    const beforeKill = standard.received.length;
    dispatcher = stack.spawn('dispatcher', { LOG_LEVEL: 'info' });
    dispatchersForDump.push(dispatcher);
    await dispatcher.waitForLog(new RegExp(`^delivering to subscriber ${two.id} `));
    await broker.kill9();
    await new Promise((r) => setTimeout(r, 3000));
    await broker.restart();
    await new Promise((r) => setTimeout(r, 2000));
    await dispatcher.kill9();
    dispatcher = stack.spawn('dispatcher', { LOG_LEVEL: 'info' });
    dispatchersForDump.push(dispatcher);
    writing = false;
    await writer;

    for (const [receiver, name] of [
      [standard, 'standard'],
      [gAssistant, 'g-assistant style'],
    ] as const) {
      await receiver.waitFor(
        () => {
          const got = new Set(receiver.received.map((h) => h.json.record_id));
          return ids.every((id) => got.has(id));
        },
        `all ${ids.length} partners at the ${name} subscriber`,
        // With another test run beside it on two cores, 2,880 deliveries after two kills of
        // the dispatcher and one of the broker took over 200 s.
        360_000,
      );
    }
    await dispatcher.stop();

    // Duplicates are allowed, but carry the same webhook-id and a valid signature.
    for (const [receiver, subscriber] of [
      [standard, one],
      [gAssistant, two],
    ] as const) {
      const idsByRecord = new Map<unknown, Set<string>>();
      for (const hook of receiver.received) {
        const seen = idsByRecord.get(hook.json.record_id) ?? new Set<string>();
        seen.add(hook.headers['webhook-id']);
        idsByRecord.set(hook.json.record_id, seen);
      }
      expect([...idsByRecord.values()].every((set) => set.size === 1)).toBe(true);
      const verifier = new Webhook(subscriber.secret);
      expect(receiver.received.every((h) => verify(verifier, h))).toBe(true);
    }
    const key = Buffer.from(two.secret.replace(/^whsec_/, ''), 'base64');
    expect(
      gAssistant.received.every(
        (h) => h.headers['x-signature-256'] === plainSignature(key, h.body),
      ),
    ).toBe(true);
    expect(beforeKill).toBeLessThan(ids.length);
  }, 600_000);

  it('attempts a retry when it is due after a restart of the dispatcher, not at once', async () => {
    const ours = (hook: ReceivedWebhook) =>
      (hook.json.data as { name?: string } | undefined)?.name === 'Retry Due';
    let failed = false;
    const failingOnce = new WebhookReceiver((hook) => {
      if (!ours(hook) || failed) return { status: 200 };
      failed = true;
      return { status: 503 };
    });
    const url = await failingOnce.start();
    const subscriber = await stack.createSubscriber(
      { name: 'retry due', endpoint_url: url, retry_schedule: [20, 60] },
      { model: 'res.partner', events: ['create'], filter_domain: "[('name', '=', 'Retry Due')]" },
      { running: false },
    );
    // The attempt as the dispatcher records it in Kafka: the stop below must come after it (a
    // dispatcher stopped before recording an attempt sends it again at once) and before the retry.
    const recorded = await stack.readAttempts(subscriber.id);
    let dispatcher = stack.spawn('dispatcher', { LOG_LEVEL: 'info' });
    dispatchersForDump.push(dispatcher);
    try {
      await dispatcher.waitForLog(new RegExp(`^delivering to subscriber ${subscriber.id} `));
      await stack.odoo.query(
        `INSERT INTO res_partner (name, active, type, write_uid) VALUES ('Retry Due', true, 'contact', 2)`,
      );
      await stack.until(
        async () => (recorded.attempts.some((a) => a.status === 'failed') ? true : undefined),
        'the failed attempt in the attempts topic',
      );
    } finally {
      await recorded.stop();
    }
    await dispatcher.stop();
    const attempts = () => failingOnce.received.filter(ours);
    expect(attempts()).toHaveLength(1);
    // The restarted dispatcher learns the due time from the delivery log: wait for the projector
    // to have it (it can lag on a loaded machine; with the dispatcher stopped, nothing else
    // changes the row meanwhile).
    const [row] = await stack.until(
      async () => {
        const rows = await stack.serviceQuery(
          `SELECT status, next_retry_at FROM webhook_delivery WHERE subscriber_id = $1`,
          [subscriber.id],
        );
        return rows[0]?.status === 'failed' ? rows : undefined;
      },
      'the failed attempt in the delivery log',
      180_000,
    );
    dispatcher = stack.spawn('dispatcher', { LOG_LEVEL: 'info' });
    dispatchersForDump.push(dispatcher);
    await dispatcher.waitForLog(new RegExp(`^delivering to subscriber ${subscriber.id} `));
    // A loaded machine starts the dispatcher and joins its group slowly: not what is checked.
    await failingOnce.waitFor(() => attempts().length === 2, 'the second attempt', 120_000);
    const [first, second] = attempts();
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    // Due 20 s after the first attempt (the log's next_retry_at), whatever happened between.
    expect(second.at).toBeGreaterThanOrEqual(new Date(row.next_retry_at).getTime() - 100);
    expect(second.at - first.at).toBeGreaterThanOrEqual(19_500);
    await dispatcher.stop();
    await failingOnce.stop();
  }, 420_000);

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
      120_000,
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

function verify(verifier: Webhook, hook: ReceivedWebhook): boolean {
  try {
    verifier.verify(hook.body, hook.headers);
    return true;
  } catch {
    return false;
  }
}

function plainSignature(key: Buffer, body: string): string {
  return `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
}
