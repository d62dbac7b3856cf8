/**
 * Webhook delivery: commit-to-delivered latency at a steady rate, and how many signed deliveries a
 * second one subscriber gets from a burst. Prints figures and ratios; asserts nothing.
 *
 *   npm run bench:webhooks [-- <burst>]      (default 20000)
 *
 * Method: a private Kafka broker and PostgreSQL cluster; the demo Odoo schema; capture,
 * projector, dispatcher and api as separate processes; one subscriber (a local HTTP receiver
 * that answers 200 at once) with a res.partner create subscription, max_concurrency 16.
 * Latency: 500 one-row transactions, 20 a second; for each, the time from COMMIT returning to
 * the receiver getting the request. Throughput: <burst> rows in one transaction; the clock runs
 * from the first request of the burst to the last.
 */
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { freePort } from '@odoo-stream/local-infra';
import { newApiKey } from '../apps/api/auth/api-keys';
import {
  benchDatabases,
  benchEnv,
  runBench,
  startAppProcess,
  stopProcess,
  waitFor,
} from './bench-processes';
import { latencyLines, rateRatioLine } from './addon-baseline';

const burst = Number(process.argv[2] ?? 20_000);
const SAMPLES = 500;

runBench('webhook-delivery', async (stack, progress) => {
  const received = new Map<string, number>();
  const arrivals: number[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const now = performance.now();
      const name = (JSON.parse(body) as { data?: { name?: string } }).data?.name ?? '';
      if (!received.has(name)) received.set(name, now);
      arrivals.push(now);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
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
      ALLOW_PRIVATE_ENDPOINTS: 'true',
      DISPATCHER_SUBSCRIBER_REFRESH_MS: '500',
    },
  );
  const apps: ReturnType<typeof startAppProcess>[] = [];
  try {
    await odoo.connect();
    for (const app of ['capture', 'projector', 'dispatcher', 'api'])
      apps.push(startAppProcess(app, env));
    progress('waiting for the api');
    await waitFor(async () => {
      const ok = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
      return ok?.status === 200;
    }, 120_000);
    const call = (path: string, body: unknown) =>
      fetch(`http://127.0.0.1:${port}${path}`, {
        method: 'POST',
        headers: { 'X-API-Key': admin.key, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<{ id: number }>);
    const subscriber = await call('/api/subscribers', {
      name: 'bench',
      endpoint_url: receiverUrl,
      max_concurrency: 16,
    });
    await call(`/api/subscribers/${subscriber.id}/subscriptions`, {
      model: 'res.partner',
      events: ['create'],
    });
    progress('waiting for a first delivery');
    let warm = 0;
    await waitFor(async () => {
      await odoo.query(`INSERT INTO res_partner (name, active, write_uid) VALUES ($1, true, 2)`, [
        `warm-up ${warm++}`,
      ]);
      await new Promise((r) => setTimeout(r, 200));
      return received.size > 0;
    }, 120_000);

    progress(`latency: ${SAMPLES} transactions, 20 a second`);
    const committedAt = new Map<string, number>();
    for (let i = 0; i < SAMPLES; i++) {
      const name = `latency ${i}`;
      await odoo.query(`INSERT INTO res_partner (name, active, write_uid) VALUES ($1, true, 2)`, [
        name,
      ]);
      committedAt.set(name, performance.now());
      await new Promise((r) => setTimeout(r, 50));
    }
    await waitFor(async () => [...committedAt.keys()].every((n) => received.has(n)), 120_000);
    const latencies = [...committedAt].map(([name, at]) => (received.get(name) as number) - at);

    progress(`throughput: a burst of ${burst} rows`);
    const before = arrivals.length;
    await odoo.query(
      `INSERT INTO res_partner (name, active, write_uid)
       SELECT 'burst ' || g, true, 2 FROM generate_series(1, ${burst}) g`,
    );
    await waitFor(async () => arrivals.length - before >= burst, 900_000);
    const burstArrivals = arrivals.slice(before);
    const seconds = (burstArrivals[burstArrivals.length - 1] - burstArrivals[0]) / 1000;

    return [
      `webhook-delivery: ${SAMPLES} latency samples at 20/s, then a burst of ${burst} deliveries to one subscriber`,
      ...latencyLines('commit in Odoo -> signed webhook received', latencies),
      `  throughput: ${burst} signed deliveries in ${seconds.toFixed(2)} s = ${(burst / seconds).toFixed(0)} deliveries/s`,
      rateRatioLine(burst / seconds),
    ];
  } finally {
    await Promise.all(apps.map(stopProcess));
    server.close();
    await odoo.end().catch(() => undefined);
  }
});
