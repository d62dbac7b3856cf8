import { FakeTelegram } from './support/fake-telegram';
import { FeedStack, insertPartner } from './support/feed-stack';

const TOKEN = '123456789:AAHfakeTokenForTheLocalBotApi_0123456789';

/**
 * Telegram customers, end to end: updates through the webhook and long polling, verification
 * both ways, order-status notifications from sale.order changes, /orders, operators' replies,
 * Telegram's 429 and 403, and bad updates, against a local Bot API that answers as Telegram.
 */
describe('telegram', () => {
  let stack: FeedStack;
  let telegram: FakeTelegram;
  let bot: { id: number; webhook_secret: string };
  const admin = () => ({ 'X-API-Key': stack.adminKey });

  beforeAll(async () => {
    telegram = new FakeTelegram(TOKEN);
    const root = await telegram.start();
    stack = await FeedStack.create(['sale.order', 'res.partner'], { TELEGRAM_API_ROOT: root });
    await stack.start('capture', 'projector', 'dispatcher', 'api');
    const created = await stack.http<{ id: number; webhook_secret: string; token: string }>(
      'POST',
      '/api/telegram/bots',
      { name: 'Shop', token: TOKEN, operators: ['tests'] },
      admin(),
    );
    expect(created.status).toBe(201);
    expect(created.body.token).toBe('123456789:…6789');
    bot = created.body;
    const set = await stack.http(
      'POST',
      `/api/telegram/bots/${bot.id}/webhook`,
      { url: stack.url },
      admin(),
    );
    expect(set.status).toBe(200);
    expect(telegram.webhook).toEqual({
      url: `${stack.url}/telegram/webhook/${bot.webhook_secret}`,
      secret: bot.webhook_secret,
    });
  });

  afterAll(async () => {
    await stack?.close();
    await telegram?.stop();
  });

  const codeIn = (text: string) => /(\d{6})/.exec(text)?.[1] as string;

  async function order(partnerId: number, name: string): Promise<number> {
    const { rows } = await stack.odoo.query<{ id: number }>(
      `INSERT INTO sale_order (name, partner_id, partner_invoice_id, partner_shipping_id, company_id,
         warehouse_id, picking_policy, state, date_order, amount_untaxed, amount_tax, amount_total,
         create_uid, create_date, write_uid, write_date)
       VALUES ($1, $2, $2, $2, 1, 1, 'direct', 'draft', now() at time zone 'utc', 100, 15, 115,
         2, now() at time zone 'utc', 2, now() at time zone 'utc') RETURNING id`,
      [name, partnerId],
    );
    return rows[0].id;
  }
  const confirm = (id: number) =>
    stack.odoo.query(`UPDATE sale_order SET state = 'sale', write_date = now() WHERE id = $1`, [
      id,
    ]);

  it('verifies a customer who sent /start once an operator links the partner, then notifies each state change once, in their language', async () => {
    const chat = 7001;
    const partner = await insertPartner(stack.odoo, 'Ivan Petrov');
    await stack.odoo.query(`UPDATE res_partner SET lang = 'ru_RU' WHERE id = $1`, [partner]);

    expect((await telegram.deliver(telegram.userMessage(chat, '/start'))).status).toBe(200);
    const [welcome, codeMessage] = await telegram.waitForSent(chat, 2, 'welcome and code');
    expect(welcome.text).toMatch(/^Welcome!/);
    const code = codeIn(codeMessage.text);
    expect(code).toMatch(/^\d{6}$/);
    const stored = JSON.stringify(
      await stack.serviceQuery(
        `SELECT * FROM telegram_user u, telegram_outbox o WHERE u.telegram_id = $1`,
        [chat],
      ),
    );
    expect(stored).not.toContain(code); // only its hash is kept

    await telegram.deliver(telegram.userMessage(chat, code === '000000' ? '111111' : '000000'));
    await telegram.waitForSent(chat, 3, 'the wrong-code answer');
    expect(telegram.sentTo(chat)[2].text).toMatch(/not right/);

    const linked = await stack.http(
      'POST',
      `/api/telegram/bots/${bot.id}/users/${chat}/link`,
      { partner_id: partner },
      admin(),
    );
    expect(linked.status).toBe(202);
    await stack.until(
      async () =>
        (
          await stack.serviceQuery(`SELECT partner_id FROM telegram_user WHERE telegram_id = $1`, [
            chat,
          ])
        )[0]?.partner_id
          ? true
          : undefined,
      'the link',
    );
    await telegram.deliver(telegram.userMessage(chat, code));
    await telegram.waitForSent(chat, 4, 'the verified answer');
    // The partner's language is Russian: the confirmation is.
    expect(telegram.sentTo(chat)[3].text).toMatch(/Спасибо/);

    const id = await order(partner, 'S07001');
    await telegram.waitForSent(chat, 5, 'the new quotation');
    await confirm(id);
    await telegram.waitForSent(chat, 6, 'the confirmed order');
    const notes = telegram.sentTo(chat).slice(4);
    expect(notes[0].text).toMatch(
      /^Заказ S07001: Коммерческое предложение\nДата: \d{4}-\d\d-\d\d \d\d:\d\d UTC\nСумма: 115\.00$/,
    );
    expect(notes[1].text).toMatch(/^Заказ S07001: Заказ на продажу\n/);

    // A write that does not change the state sends nothing.
    await stack.odoo.query(`UPDATE sale_order SET note = 'gift wrap' WHERE id = $1`, [id]);
    // /orders answers from the projection.
    await telegram.deliver(telegram.userMessage(chat, '/orders'));
    const [, , , , , , orders] = await telegram.waitForSent(chat, 7, '/orders');
    expect(orders.text).toBe('Ваши заказы:\nS07001 - Заказ на продажу - 115.00');

    // A replay of the sale.order topic sends nothing twice.
    const replay = await stack.http(
      'POST',
      '/api/replays',
      { consumer: 'projector.telegram', model: 'sale.order', to_earliest: true, execute: true },
      admin(),
    );
    expect(replay.status).toBe(200);
    await stack.until(async () => {
      const [row] = await stack.serviceQuery(
        `SELECT count(*)::int AS n FROM telegram_outbox WHERE status = 'pending'`,
      );
      return row.n === 0 ? true : undefined;
    }, 'nothing pending after the replay');
    await telegram.deliver(telegram.userMessage(chat, '/help'));
    await telegram.waitForSent(chat, 8, 'the help after the replay');
    expect(telegram.sentTo(chat)).toHaveLength(8);
  });

  it('verifies a customer an operator registered for a partner, with the code sent to them', async () => {
    const chat = 7002;
    const partner = await insertPartner(stack.odoo, 'Registered Customer');
    const registered = await stack.http(
      'POST',
      `/api/telegram/bots/${bot.id}/users`,
      { telegram_id: chat, partner_id: partner },
      admin(),
    );
    expect(registered.status).toBe(202);
    const [codeMessage] = await telegram.waitForSent(chat, 1, 'the code');
    await telegram.deliver(telegram.userMessage(chat, codeIn(codeMessage.text)));
    await telegram.waitForSent(chat, 2, 'verified');
    expect(telegram.sentTo(chat)[1].text).toMatch(/you are verified/);
    const users = await stack.http<
      Array<{ telegram_id: number; verified: boolean; partner_id: number }>
    >('GET', `/api/telegram/bots/${bot.id}/users`, undefined, admin());
    expect(users.body.find((u) => u.telegram_id === chat)).toMatchObject({
      verified: true,
      partner_id: partner,
    });
  });

  it('sends what a notification rule an administrator added says, without code', async () => {
    const chat = 7002; // verified above, for its partner
    const [{ partner_id: partner }] = await stack.serviceQuery(
      `SELECT partner_id FROM telegram_user WHERE telegram_id = $1`,
      [chat],
    );
    const rule = {
      name: 'Email changed',
      model: 'res.partner',
      events: ['write'],
      tracked_fields: ['email'],
      recipient_field: 'id',
      template: 'Your email is now {{ record.email }}',
    };
    const bad = await stack.http(
      'POST',
      '/api/telegram/rules',
      { ...rule, filter_domain: "[('email', '=like'" },
      admin(),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^filter_domain: /);
    const created = await stack.http('POST', '/api/telegram/rules', rule, admin());
    expect(created.status).toBe(201);
    const before = telegram.sentTo(chat).length;
    await stack.until(async () => {
      // The projection learns of the rule with the next batch it applies.
      await stack.odoo.query(`UPDATE res_partner SET email = $2 WHERE id = $1`, [
        partner,
        `customer-${Date.now()}@example.com`,
      ]);
      await new Promise((r) => setTimeout(r, 500));
      return telegram.sentTo(chat).length > before ? true : undefined;
    }, 'the rule message');
    expect(telegram.sentTo(chat)[before].text).toMatch(
      /^Your email is now customer-\d+@example\.com$/,
    );
  });

  it('brings a customer message to the operators and their reply to the customer', async () => {
    const chat = 7003;
    await telegram.deliver(telegram.userMessage(chat, '/start'));
    await telegram.waitForSent(chat, 2, 'welcome');
    await telegram.deliver(telegram.userMessage(chat, 'Where is my parcel?'));
    const operator = { 'X-API-Key': stack.apiKey }; // the bot lists this key's name as operator
    const waiting = await stack.until(async () => {
      const list = await stack.http<Array<{ telegram_id: number }>>(
        'GET',
        `/api/telegram/bots/${bot.id}/conversations?waiting=true`,
        undefined,
        operator,
      );
      return list.body.some((c) => c.telegram_id === chat) ? list : undefined;
    }, 'the conversation waiting');
    expect(waiting.status).toBe(200);
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    expect(
      Number(
        /^odoo_stream_telegram_waiting_conversations(?:\{[^}]*\})? (\d+)$/m.exec(metrics)?.[1],
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(metrics).toMatch(
      /^odoo_stream_telegram_messages_total\{kind="system",outcome="sent"[^}]*\} \d+/m,
    );
    const reply = await stack.http(
      'POST',
      `/api/telegram/bots/${bot.id}/conversations/${chat}/reply`,
      { text: 'It left the warehouse today.' },
      operator,
    );
    expect(reply.status).toBe(202);
    await telegram.waitForSent(chat, 3, 'the reply');
    expect(telegram.sentTo(chat)[2].text).toBe('It left the warehouse today.');
    const history = await stack.until(async () => {
      const h = await stack.http<
        Array<{ direction: string; text: string; status?: string; by: string | null }>
      >('GET', `/api/telegram/bots/${bot.id}/conversations/${chat}/messages`, undefined, operator);
      return h.body.at(-1)?.status === 'sent' ? h.body : undefined;
    }, 'the reply sent in the history');
    expect(history.map((m) => [m.direction, m.text])).toContainEqual(['in', 'Where is my parcel?']);
    expect(history.at(-1)).toMatchObject({
      direction: 'out',
      text: 'It left the warehouse today.',
      by: 'key:tests',
    });
    // Not waiting any more; a key that is not an operator is refused.
    const after = await stack.http<Array<{ telegram_id: number }>>(
      'GET',
      `/api/telegram/bots/${bot.id}/conversations?waiting=true`,
      undefined,
      operator,
    );
    expect(after.body.some((c) => c.telegram_id === chat)).toBe(false);
  });

  it('waits what a 429 asks, and stops writing to a user who blocked the bot until they write again', async () => {
    const chat = 7004;
    telegram.failNext({
      code: 429,
      description: 'Too Many Requests: retry after 2',
      retryAfter: 2,
    });
    const started = Date.now();
    await telegram.deliver(telegram.userMessage(chat, '/start'));
    await telegram.waitForSent(chat, 2, 'welcome after the 429');
    const retried = telegram.calls.filter(
      (c) => c.method === 'sendMessage' && Number(c.body.chat_id) === chat,
    );
    expect(retried.length).toBe(3); // refused once, then both sent
    expect(telegram.sentTo(chat)[0].at - started).toBeGreaterThanOrEqual(1900);

    telegram.block(chat);
    await telegram.deliver(telegram.userMessage(chat, '/help'));
    await stack.until(
      async () =>
        (
          await stack.serviceQuery(`SELECT blocked FROM telegram_user WHERE telegram_id = $1`, [
            chat,
          ])
        )[0]?.blocked
          ? true
          : undefined,
      'the user marked blocked',
    );
    const [row] = await stack.serviceQuery(
      `SELECT status, reason FROM telegram_outbox WHERE telegram_id = $1 ORDER BY seq DESC LIMIT 1`,
      [chat],
    );
    expect(row).toEqual({ status: 'failed', reason: '403 Forbidden: bot was blocked by the user' });
  });

  it('answers bad updates without storing anything wrong, and refuses a wrong secret', async () => {
    const count = async () =>
      (await stack.serviceQuery(`SELECT count(*)::int AS n FROM telegram_message`))[0].n;
    const before = await count();
    const wrongSecret = await telegram.deliver(
      telegram.userMessage(7100, '/start'),
      'x'.repeat(24),
    );
    expect(wrongSecret.status).toBe(401);
    const wrongPath = await fetch(`${stack.url}/telegram/webhook/${'y'.repeat(24)}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Telegram-Bot-Api-Secret-Token': 'y'.repeat(24),
      },
      body: JSON.stringify(telegram.userMessage(7100, '/start')),
    });
    expect(wrongPath.status).toBe(401);
    expect((await telegram.deliver('{"update_id": 5, "message": ')).status).toBe(400);
    expect((await telegram.deliver({ message: { text: 'no update id' } })).status).toBe(400);

    // An unknown chat that did not /start is told how to begin, and nothing is kept of it.
    await telegram.deliver(telegram.userMessage(7101, 'hello?'));
    await telegram.waitForSent(7101, 1, 'the help for an unknown chat');
    expect(
      await stack.serviceQuery(`SELECT 1 FROM telegram_user WHERE telegram_id = 7101`),
    ).toEqual([]);

    // A text no Telegram client sends is kept at Telegram's own limit.
    await telegram.deliver(telegram.userMessage(7102, '/start'));
    await telegram.waitForSent(7102, 2, 'welcome');
    await telegram.deliver(telegram.userMessage(7102, 'x'.repeat(10_000)));
    const long = await stack.until(async () => {
      const [m] = await stack.serviceQuery(
        `SELECT length(text) AS n FROM telegram_message WHERE telegram_id = 7102 AND text LIKE 'xxx%'`,
      );
      return m;
    }, 'the long message kept');
    expect(long.n).toBe(4096);
    expect(await count()).toBe(before + 1 + 2 + 1);

    // An inactive bot's updates are taken and dropped.
    await stack.http('PATCH', `/api/telegram/bots/${bot.id}`, { active: false }, admin());
    expect((await telegram.deliver(telegram.userMessage(7103, '/start'))).status).toBe(200);
    await stack.http('PATCH', `/api/telegram/bots/${bot.id}`, { active: true }, admin());
    await telegram.deliver(telegram.userMessage(7104, '/start'));
    await telegram.waitForSent(7104, 2, 'welcome once active again');
    expect(telegram.sentTo(7103)).toEqual([]);
    expect(
      await stack.serviceQuery(`SELECT 1 FROM telegram_user WHERE telegram_id = 7103`),
    ).toEqual([]);
  });

  it('builds the same tables again from the log, and sends nothing twice', async () => {
    const snapshot = async () => ({
      users: await stack.serviceQuery(
        `SELECT bot_id, telegram_id, partner_id, verified, blocked, waiting, code_attempts
         FROM telegram_user ORDER BY bot_id, telegram_id`,
      ),
      messages: await stack.serviceQuery(
        `SELECT key, direction, kind, text, by FROM telegram_message ORDER BY key`,
      ),
      outbox: await stack.serviceQuery(
        `SELECT key, status, reason FROM telegram_outbox ORDER BY key`,
      ),
      orders: await stack.serviceQuery(`SELECT * FROM telegram_order ORDER BY id`),
    });
    await stack.until(
      async () =>
        (await stack.serviceQuery(`SELECT 1 FROM telegram_outbox WHERE status = 'pending'`))
          .length === 0
          ? true
          : undefined,
      'the outbox settled',
    );
    const before = await snapshot();
    const sent = telegram.sent.length;
    const started = await stack.http<{ id: string }>(
      'POST',
      '/api/rebuilds',
      { projection: 'telegram', reason: 'check' },
      admin(),
    );
    expect(started.status).toBe(202);
    await stack.until(
      async () => {
        const records = await stack.http<Array<{ id: string; status: string }>>(
          'GET',
          '/api/rebuilds',
          undefined,
          admin(),
        );
        return records.body.some((r) => r.id === started.body.id && r.status === 'swapped')
          ? true
          : undefined;
      },
      'the rebuild swapped in',
      120_000,
    );
    expect(await snapshot()).toEqual(before);
    await new Promise((r) => setTimeout(r, 1500));
    expect(telegram.sent.length).toBe(sent);
  });

  it('long-polls a bot in polling mode', async () => {
    await stack.http('DELETE', `/api/telegram/bots/${bot.id}/webhook`, undefined, admin());
    const patched = await stack.http(
      'PATCH',
      `/api/telegram/bots/${bot.id}`,
      { mode: 'polling' },
      admin(),
    );
    expect(patched.status).toBe(200);
    const chat = 7200;
    telegram.queueUpdate(telegram.userMessage(chat, '/start'));
    await telegram.waitForSent(chat, 2, 'welcome through long polling');
    expect(telegram.calls.some((c) => c.method === 'getUpdates')).toBe(true);
  });
});
