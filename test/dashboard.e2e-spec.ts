/// <reference lib="dom" />
// The page functions below run in the browser.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@odoo-stream/db';
import { EventIndexRetention } from '../apps/projector/retention/event-index-retention';
import { FeedStack, insertPartner } from './support/feed-stack';
import { FakeTelegram } from './support/fake-telegram';
import { WebhookReceiver } from './support/webhook-receiver';

const TELEGRAM_TOKEN = '123456789:AAHfakeTokenForTheDashboardBot_0123456';

/** Screenshots of every page, for people to look at (git-ignored). */
const SCREENSHOTS = join(__dirname, 'screenshots');

describe('dashboard in a browser', () => {
  let stack: FeedStack;
  let browser: Browser;
  let page: Page;
  const receiver = new WebhookReceiver();
  const failing = new WebhookReceiver(() => ({ status: 500 }));
  let receiverUrl: string;
  const telegram = new FakeTelegram(TELEGRAM_TOKEN);

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    stack = await FeedStack.create(['res.partner', 'sale.order'], {
      DISPATCHER_SUBSCRIBER_REFRESH_MS: '300',
      TELEGRAM_API_ROOT: await telegram.start(),
    });
    await stack.start('capture', 'projector', 'dispatcher', 'api');
    receiverUrl = await receiver.start();
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu'],
    });
    // A zone of its own, so times shown in the browser's zone differ from UTC.
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      timezoneId: 'Asia/Tokyo',
    });
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await receiver.stop();
    await failing.stop();
    await telegram.stop();
  });

  const shot = (name: string) =>
    page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

  it('refuses a wrong key, signs in with an admin key, and never shows the key again', async () => {
    await page.goto(stack.url);
    await page.getByLabel('Admin key').fill('osk_not-a-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('this is not an admin key of this server').waitFor();
    await shot('sign-in');
    // By keyboard alone: Tab to the field, type, Enter.
    await page.reload();
    await page.getByLabel('Admin key').waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.type(stack.adminKey);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'odoo_stream_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(session!.expires).toBeGreaterThan(Date.now() / 1000 + 3600);
    expect(await page.content()).not.toContain(stack.adminKey);
    expect(await page.evaluate(() => document.cookie)).toBe('');
  });

  it('shows the feed projection fall behind while changes are written, and catch up', async () => {
    await stack.stop('projector');
    for (let i = 0; i < 30; i++) await insertPartner(stack.odoo, `Lagging Partner ${i}`);
    const feedLag = page.locator('tr[data-consumer="projector.feed"] [data-testid="consumer-lag"]');
    await page.waitForFunction(
      (el) => Number(el?.textContent?.replace(/,/g, '')) >= 30,
      await feedLag.elementHandle(),
      { timeout: 30_000 },
    );
    await shot('overview-lagging');
    await stack.start('projector');
    await page.waitForFunction(
      () =>
        document.querySelector('tr[data-consumer="projector.feed"] [data-testid="consumer-lag"]')
          ?.textContent === '0',
      undefined,
      { timeout: 60_000 },
    );
    await page.getByRole('img', { name: 'changes/s' }).waitFor();
    await expect(page.getByTestId('capture-lag-bytes').textContent()).resolves.toMatch(/B$/);
    await shot('overview');
  });

  let partnerId: number;

  it('browses events and shows a change before and after, changed fields highlighted', async () => {
    partnerId = await insertPartner(stack.odoo, 'Timeline Partner');
    await stack.odoo.query(
      `UPDATE res_partner SET name = 'Timeline Partner Renamed' WHERE id = $1`,
      [partnerId],
    );
    await page.goto(`${stack.url}/#/events?model=res.partner&record_id=${partnerId}`);
    const rows = page.locator('table tbody tr');
    await stack.until(
      async () => ((await rows.count()) === 2 ? true : (await page.reload(), undefined)),
      'both events in the index',
    );
    await shot('events');
    await rows.filter({ hasText: 'write' }).getByRole('link').first().click();
    const changed = page.locator('tr[data-changed="true"]', { hasText: 'name' });
    await changed.first().waitFor();
    await expect(changed.locator('td.before').first().textContent()).resolves.toBe(
      'Timeline Partner',
    );
    await expect(changed.locator('td.after').first().textContent()).resolves.toBe(
      'Timeline Partner Renamed',
    );
    // Times are shown in the browser's zone (Tokyo), UTC on hover.
    const time = page.locator('time').first();
    await expect(time.getAttribute('title')).resolves.toMatch(/UTC$/);
    await shot('event');
  });

  let subscriberId: number;

  it('creates a subscriber, shows the api message next to a bad domain, tests the connection', async () => {
    await page.goto(`${stack.url}/#/subscribers`);
    await page.getByRole('button', { name: 'New subscriber' }).click();
    await page.getByLabel('Name').fill('Dashboard CRM');
    await page.getByLabel('Endpoint URL').fill(receiverUrl);
    await page.getByRole('button', { name: 'Create subscriber' }).click();
    const secret = await page.getByTestId('secret').textContent();
    expect(secret).toMatch(/^whsec_/);
    subscriberId = Number(new URL(page.url().replace('#/', '')).searchParams.get('id'));
    await page.getByLabel('Model').fill('res.partner');
    await page.getByLabel('Domain (Odoo syntax)').fill("[('name', '=='");
    await page.getByRole('button', { name: 'Add subscription' }).click();
    const domainError = page.locator('#filter_domain-error');
    await domainError.waitFor();
    await expect(domainError.textContent()).resolves.toMatch(/^filter_domain: /);
    await shot('subscriber-bad-domain');
    await page.getByLabel('Domain (Odoo syntax)').fill("[('name', 'ilike', 'Dashboard')]");
    await page.getByRole('button', { name: 'Add subscription' }).click();
    await page.locator('td', { hasText: "[('name', 'ilike', 'Dashboard')]" }).waitFor();
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText(/Connection works: the endpoint answered 200/).waitFor();
    await shot('subscriber');
    // Reloaded, the page shows the secret masked, never whole again.
    await page.reload();
    await page.getByRole('heading', { name: /Dashboard CRM/ }).waitFor();
    expect(await page.content()).not.toContain(secret!);
  });

  it('shows deliveries arriving, and the record timeline with who got each event', async () => {
    // The dispatcher reads for a new subscriber within its refresh; then a new partner goes out.
    await stack.until(async () => {
      const { body } = await stack.http<Array<{ subscriber?: { id: number }; members: number }>>(
        'GET',
        '/api/consumers',
        undefined,
        { 'X-API-Key': stack.adminKey },
      );
      return body.some((c) => c.subscriber?.id === subscriberId && c.members > 0)
        ? true
        : undefined;
    }, 'the dispatcher to read for the new subscriber');
    const id = await insertPartner(stack.odoo, 'Dashboard Buyer');
    await receiver.waitFor(
      () => receiver.received.some((h) => h.json.record_id === id),
      'the webhook',
    );
    await page.goto(`${stack.url}/#/deliveries?subscriber=${subscriberId}`);
    await page.locator('tr[data-status="sent"]').first().waitFor();
    await shot('deliveries');
    await page.goto(`${stack.url}/#/timeline?model=res.partner&id=${id}`);
    const entry = page.locator('ol.timeline > li').first();
    await entry.getByTestId('in-feed').waitFor();
    await stack.until(async () => {
      if ((await entry.getByText('Dashboard CRM').count()) > 0) return true;
      await page.reload();
      return undefined;
    }, 'the delivery in the timeline');
    await shot('timeline');
  });

  it('retries a dead delivery from its page', async () => {
    const failingUrl = await failing.start();
    const s = await stack.createSubscriber(
      { name: 'Flaky ERP', endpoint_url: failingUrl, retry_schedule: [1] },
      { model: 'res.partner', events: ['create'] },
      { running: true },
    );
    await insertPartner(stack.odoo, 'Dead Letter Partner');
    const [dead] = await stack.until(async () => {
      const rows = await stack.serviceQuery(
        `SELECT delivery_id FROM webhook_delivery WHERE subscriber_id = $1 AND status = 'dead'`,
        [s.id],
      );
      return rows.length ? rows : undefined;
    }, 'a dead delivery');
    await page.goto(`${stack.url}/#/overview`);
    await page.getByRole('link', { name: /dead delivery for subscriber Flaky ERP/ }).click();
    await page.locator('tr[data-status="dead"]').first().getByRole('link').first().click();
    await expect(page.getByTestId('delivery-status').textContent()).resolves.toBe('dead');
    failing.answerWith(() => ({ status: 200 }));
    await page.getByRole('button', { name: 'Retry now' }).click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="delivery-status"]')?.textContent === 'sent',
      undefined,
      { timeout: 60_000 },
    );
    expect(page.url()).toContain(
      encodeURIComponent(dead.delivery_id as string).replace(/%5F/g, '_'),
    );
    await shot('delivery');
  });

  it('plans a replay of a subscriber, executes it after confirmation, and follows it until caught up', async () => {
    const before = receiver.received.length;
    await page.goto(`${stack.url}/#/consumers`);
    await page
      .locator('tr[data-consumer="dispatcher.Dashboard CRM"]')
      .getByRole('button', { name: 'Replay…' })
      .click();
    await page.getByLabel('From').selectOption('to_earliest');
    await page.getByLabel('Why (kept with the record)').fill('receiver lost its database');
    await page.getByRole('button', { name: 'Show the plan' }).click();
    const plan = page.getByRole('article', { name: 'replay plan' });
    await plan.getByText('Nothing has changed yet').waitFor();
    await shot('replay-plan');
    expect(receiver.received.length).toBe(before);
    await plan.getByRole('button', { name: 'Execute this replay…' }).click();
    // The confirmation takes the focus: Enter confirms.
    await page.getByRole('button', { name: 'Replay now' }).waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('replay-progress').getByText('Caught up.').waitFor({ timeout: 90_000 });
    await stack.until(
      async () => (receiver.received.length > before ? true : undefined),
      'the webhooks sent again',
    );
    await page
      .locator('table[aria-label="past replays"]')
      .getByText('receiver lost its database')
      .waitFor();
    await shot('consumers');
  });

  it('rebuilds the event index after a confirmation that says what it reads, Escape cancelling', async () => {
    await page.goto(`${stack.url}/#/consumers`);
    await page.locator('tr[data-consumer="projector.events"]').waitFor();
    await page.getByLabel('Projection').selectOption('events');
    await page.getByRole('button', { name: 'Rebuild…' }).click();
    await expect(page.getByTestId('rebuild-plan').textContent()).resolves.toMatch(
      /from the start of [1-9]\d* partitions? \(up to [1-9][\d,]* events\)/,
    );
    await page.keyboard.press('Escape');
    await page.getByTestId('rebuild-plan').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Rebuild…' }).click();
    await page.getByRole('button', { name: 'Rebuild now' }).click();
    await page.getByText(/Rebuild .* started/).waitFor();
    const history = page.locator('table[aria-label="past replays"]');
    await history.getByText(/^swapped, \d+ events$/).waitFor({ timeout: 90_000 });
    await shot('rebuild');
  });

  it('lists devices with their checkpoints and how far behind they are', async () => {
    const registered = await stack.http('POST', '/api/v2/devices', {
      user_id: 2,
      device_id: 'dashboard-phone',
      app_type: 'sales_app',
    });
    expect(registered.status).toBeLessThan(300);
    await page.goto(`${stack.url}/#/devices`);
    await page.getByText('dashboard-phone').waitFor({ timeout: 30_000 });
    await shot('devices');
  });

  it('shows a Telegram customer waiting for an operator, the history, and sends the reply', async () => {
    await page.goto(`${stack.url}/#/telegram`);
    await page.getByText('No bots.').waitFor();
    const admin = { 'X-API-Key': stack.adminKey };
    const bot = await stack.http<{ id: number }>(
      'POST',
      '/api/telegram/bots',
      { name: 'Shop', token: TELEGRAM_TOKEN },
      admin,
    );
    expect(bot.status).toBe(201);
    await stack.http(
      'POST',
      `/api/telegram/bots/${bot.body.id}/webhook`,
      { url: stack.url },
      admin,
    );
    const chat = 9101;
    // A chat that never started the bot is only told how to begin: /start first.
    await telegram.deliver(telegram.userMessage(chat, '/start', { first_name: 'Amina' }));
    await telegram.deliver(
      telegram.userMessage(chat, 'Hello, where is my order?', { first_name: 'Amina' }),
    );
    await page.reload();
    const waiting = page.getByRole('link', { name: 'Amina' });
    await stack.until(async () => {
      if ((await waiting.count()) > 0) return true;
      await page.reload();
      return undefined;
    }, 'the conversation on the page');
    await waiting.click();
    await page.getByText('Hello, where is my order?').waitFor();
    await page.getByLabel('Reply').fill('It leaves the warehouse today.');
    await page.getByRole('button', { name: 'Send' }).click();
    await stack.until(
      async () =>
        telegram.sentTo(chat).some((m) => m.text === 'It leaves the warehouse today.') || undefined,
      "the operator's reply sent to Telegram",
    );
    await page.getByText('It leaves the warehouse today.').waitFor();
    await shot('telegram');
  });

  it('is readable at a phone width', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${stack.url}/#/overview`);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await shot('overview-phone');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('answers the dashboard endpoints as the OpenAPI document says, and refuses bad filters clearly', async () => {
    const admin = { 'X-API-Key': stack.adminKey };
    const events = await stack.http<{ data: Array<{ event_id: string }> }>(
      'GET',
      `/api/events?model=res.partner&op=write&record_id=${partnerId}&since=2020-01-01T00:00:00Z`,
      undefined,
      admin,
    );
    expect(events.status).toBe(200);
    expect(events.body.data).toHaveLength(1);
    const one = await stack.http<{ before: { name: string }; after: { name: string } }>(
      'GET',
      `/api/events/${events.body.data[0].event_id}`,
      undefined,
      admin,
    );
    expect(one.body.before.name).toBe('Timeline Partner');
    expect(one.body.after.name).toBe('Timeline Partner Renamed');
    // Two pages of one event each: the cursor goes on from the first, nothing twice.
    const pageOne = await stack.http<{ data: Array<{ event_id: string }>; next_cursor: string }>(
      'GET',
      `/api/events?model=res.partner&record_id=${partnerId}&limit=1`,
      undefined,
      admin,
    );
    const pageTwo = await stack.http<{ data: Array<{ event_id: string }>; has_more: boolean }>(
      'GET',
      `/api/events?model=res.partner&record_id=${partnerId}&limit=1&cursor=${pageOne.body.next_cursor}`,
      undefined,
      admin,
    );
    expect(pageOne.body.data[0].event_id).toBe(events.body.data[0].event_id);
    expect(pageTwo.body.data).toHaveLength(1);
    expect(pageTwo.body.data[0].event_id).not.toBe(pageOne.body.data[0].event_id);
    expect(pageTwo.body.has_more).toBe(false);
    const timeline = await stack.http<{ events: unknown[] }>(
      'GET',
      `/api/records/res.partner/${partnerId}/timeline`,
      undefined,
      admin,
    );
    expect(timeline.body.events).toHaveLength(2);
    for (const path of ['/api/overview', '/api/devices?app_type=sales_app', '/api/session']) {
      expect((await stack.http('GET', path, undefined, admin)).status).toBe(200);
    }
    const bad = await stack.http('GET', '/api/events?op=delete&record_id=x', undefined, admin);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/op must be one of create, write, unlink, read/);
    expect(bad.body.message).toMatch(/record_id must be an integer/);
    const badModel = await stack.http(
      'GET',
      '/api/records/Sale Order/1/timeline',
      undefined,
      admin,
    );
    expect(badModel.status).toBe(400);
    expect((await stack.http('GET', '/api/events/nope', undefined, admin)).status).toBe(404);
    expect((await stack.http('GET', '/api/overview', undefined, {})).status).toBe(401);
  });

  it("keeps EVENT_INDEX_DAYS of events in the dashboard's index", async () => {
    const [old] = await stack.serviceQuery(
      `INSERT INTO change_event (event_id, model, record_id, op, "timestamp", changed_fields,
         kafka_topic, kafka_partition, kafka_offset, value)
       SELECT 'old-' || event_id, model, record_id, op, now() - interval '31 days', changed_fields,
         kafka_topic, kafka_partition, kafka_offset, value
       FROM change_event LIMIT 1 RETURNING event_id`,
    );
    const before = (await stack.serviceQuery(`SELECT count(*)::int AS n FROM change_event`))[0].n;
    const dataSource = await new DataSource(dataSourceOptions(stack.serviceUrl)).initialize();
    try {
      expect(await new EventIndexRetention(dataSource, 30).run()).toBe(1);
    } finally {
      await dataSource.destroy();
    }
    const left = await stack.serviceQuery(`SELECT event_id FROM change_event`);
    expect(left).toHaveLength(before - 1);
    expect(left.map((r) => r.event_id)).not.toContain(old.event_id);
  });

  it('asks a signed-in request that changes something for the dashboard header (CSRF)', async () => {
    const signIn = await fetch(`${stack.url}/api/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ key: stack.adminKey }),
    });
    const cookie = signIn.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const session = cookie.split(';')[0];
    const create = (headers: Record<string, string>) =>
      fetch(`${stack.url}/api/subscribers`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Cookie: session, ...headers },
        body: JSON.stringify({ name: 'csrf', endpoint_url: 'https://example.com/csrf' }),
      });
    const forged = await create({});
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { message: string }).message).toMatch(
      /must send the x-odoo-stream-dashboard: 1 header/,
    );
    const listed = await stack.http<{ data: Array<{ name: string }> }>(
      'GET',
      '/api/subscribers',
      undefined,
      { 'X-API-Key': stack.adminKey },
    );
    expect(listed.body.data.map((s) => s.name)).not.toContain('csrf');
    expect((await create({ 'X-Odoo-Stream-Dashboard': '1' })).status).toBe(201);
    const tampered = await fetch(`${stack.url}/api/overview`, {
      headers: { Cookie: `${session.slice(0, -4)}AAAA` },
    });
    // Only the token's hash is stored.
    const [stored] = await stack.serviceQuery(`SELECT * FROM dashboard_session LIMIT 1`);
    expect(JSON.stringify(stored)).not.toContain(session.split('=')[1]);
    expect(tampered.status).toBe(401);
  });

  it('ends a session when it expires', async () => {
    const signIn = await fetch(`${stack.url}/api/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ key: stack.adminKey }),
    });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0];
    const overview = () => fetch(`${stack.url}/api/overview`, { headers: { Cookie: cookie } });
    expect((await overview()).status).toBe(200);
    await stack.serviceQuery(
      `UPDATE dashboard_session SET expires_at = now() - interval '1 second'
       WHERE token_sha256 = encode(sha256($1::bytea), 'hex')`,
      [cookie.split('=')[1]],
    );
    const expired = await overview();
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { message: string }).message).toMatch(
      /the session has ended \(expired or signed out\): sign in again/,
    );
  });

  it('signs out: the page asks for the key again and even a copy of the cookie no longer opens the api', async () => {
    await page.goto(`${stack.url}/#/overview`);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    const copy = (await page.context().cookies()).find((c) => c.name === 'odoo_stream_session');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin key').waitFor();
    const answer = await page.evaluate(async () => (await fetch('/api/overview')).status);
    expect(answer).toBe(401);
    const replayed = await fetch(`${stack.url}/api/overview`, {
      headers: { Cookie: `odoo_stream_session=${copy!.value}` },
    });
    expect(replayed.status).toBe(401);
  });
});
