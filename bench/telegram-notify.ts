/**
 * Telegram: the time from a sale order's confirmation committed in Odoo to the order-status
 * message reaching the Bot API. Prints figures; asserts nothing.
 *
 *   npm run bench:telegram [-- <orders>]      (default 300)
 *
 * Method: a private Kafka broker and PostgreSQL cluster; the demo Odoo schema; capture,
 * projector, dispatcher and api as separate processes; a local Bot API that answers sendMessage
 * at once (TELEGRAM_API_ROOT). One verified customer (registered by an operator, code typed
 * through the webhook). <orders> quotations are created, then confirmed one a second apart by
 * 100 ms (10 a second); for each, the time from COMMIT returning to the Bot API getting the
 * "Sales Order" message.
 */
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { freePort } from '@odoo-stream/local-infra';
import { newApiKey } from '../apps/api/auth/api-keys';
import { latencyLines } from './addon-baseline';
import {
  benchDatabases,
  benchEnv,
  runBench,
  startAppProcess,
  stopProcess,
  waitFor,
} from './bench-processes';

const orders = Number(process.argv[2] ?? 300);
const TOKEN = '123456789:AAHbenchTokenForTheLocalBotApi_0123456789';
const CHAT = 4242;

runBench('telegram-notify', async (stack, progress) => {
  const texts: Array<{ text: string; at: number }> = [];
  let nextId = 1;
  const botApi = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const at = performance.now();
      const payload = body ? (JSON.parse(body) as { text?: string }) : {};
      if (req.url?.endsWith('/sendMessage')) texts.push({ text: payload.text ?? '', at });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          ok: true,
          result: { message_id: nextId++, date: 0, chat: { id: CHAT, type: 'private' } },
        }),
      );
    });
  });
  await new Promise<void>((r) => botApi.listen(0, '127.0.0.1', r));
  const { odooUrl, streamUrl } = await benchDatabases(stack);
  const odoo = new Client({ connectionString: odooUrl });
  const admin = newApiKey('bench');
  const port = await freePort();
  const env = benchEnv(
    stack,
    { odooUrl, streamUrl },
    {
      API_PORT: String(port),
      ADMIN_API_KEYS: admin.entry,
      TRACKED_MODELS: 'sale.order,res.partner',
      TELEGRAM_API_ROOT: `http://127.0.0.1:${(botApi.address() as AddressInfo).port}`,
    },
  );
  const apps: ReturnType<typeof startAppProcess>[] = [];
  const api = `http://127.0.0.1:${port}`;
  const call = (path: string, body: unknown) =>
    fetch(`${api}${path}`, {
      method: 'POST',
      headers: { 'X-API-Key': admin.key, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    }).then((r) => r.json() as Promise<Record<string, unknown>>);
  try {
    await odoo.connect();
    for (const app of ['capture', 'projector', 'dispatcher', 'api'])
      apps.push(startAppProcess(app, env));
    progress('waiting for the api');
    await waitFor(
      async () => (await fetch(`${api}/health`).catch(() => undefined))?.ok === true,
      120_000,
    );

    const { rows } = await odoo.query<{ id: number }>(
      `INSERT INTO res_partner (name, active, write_uid) VALUES ('Bench customer', true, 2) RETURNING id`,
    );
    const partner = rows[0].id;
    const bot = (await call('/api/telegram/bots', { name: 'bench', token: TOKEN })) as {
      id: number;
      webhook_secret: string;
    };
    progress('verifying the customer');
    await waitFor(async () => {
      if (!texts.some((t) => /\d{6}/.test(t.text))) {
        await call(`/api/telegram/bots/${bot.id}/users`, {
          telegram_id: CHAT,
          partner_id: partner,
        });
        await new Promise((r) => setTimeout(r, 1000));
      }
      return texts.some((t) => /\d{6}/.test(t.text));
    }, 120_000);
    const code = /(\d{6})/.exec(texts.find((t) => /\d{6}/.test(t.text))!.text)![1];
    await fetch(`${api}/telegram/webhook/${bot.webhook_secret}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Telegram-Bot-Api-Secret-Token': bot.webhook_secret,
      },
      body: JSON.stringify({
        update_id: 1,
        message: {
          message_id: 1,
          date: 0,
          chat: { id: CHAT, type: 'private' },
          from: { id: CHAT },
          text: code,
        },
      }),
    });
    await waitFor(async () => texts.some((t) => /verified/.test(t.text)), 60_000);

    progress(`${orders} quotations`);
    const ids: number[] = [];
    for (let i = 0; i < orders; i++) {
      const { rows: created } = await odoo.query<{ id: number }>(
        `INSERT INTO sale_order (name, partner_id, partner_invoice_id, partner_shipping_id, company_id,
           warehouse_id, picking_policy, state, date_order, amount_untaxed, amount_tax, amount_total,
           create_uid, write_uid)
         VALUES ($1, $2, $2, $2, 1, 1, 'direct', 'draft', now(), 100, 15, 115, 2, 2) RETURNING id`,
        [`B${String(i).padStart(5, '0')}`, partner],
      );
      ids.push(created[0].id);
    }
    await waitFor(
      async () => texts.filter((t) => t.text.includes(': Quotation\n')).length >= orders,
      300_000,
    );

    progress(`confirming ${orders} orders, 10 a second`);
    const committed = new Map<string, number>();
    for (const [i, id] of ids.entries()) {
      await odoo.query(`UPDATE sale_order SET state = 'sale', write_date = now() WHERE id = $1`, [
        id,
      ]);
      committed.set(`B${String(i).padStart(5, '0')}`, performance.now());
      await new Promise((r) => setTimeout(r, 100));
    }
    const arrived = () =>
      new Map(
        texts
          .filter((t) => t.text.includes(': Sales Order\n'))
          .map((t) => [/Order (B\d+):/.exec(t.text)?.[1] ?? '', t.at]),
      );
    await waitFor(async () => arrived().size >= orders, 300_000);
    const at = arrived();
    const latencies = [...committed].map(([name, t]) => (at.get(name) as number) - t);
    return [
      `telegram-notify: ${orders} sale order confirmations at 10/s, one verified customer`,
      ...latencyLines('confirmation committed in Odoo -> order message at the Bot API', latencies),
    ];
  } finally {
    await Promise.all(apps.map(stopProcess));
    botApi.close();
    await odoo.end().catch(() => undefined);
  }
});
