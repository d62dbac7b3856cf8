/**
 * The pull feed: how soon a committed Odoo change is visible to a client paging the feed, and
 * how fast one client pages through it. Prints figures and ratios; asserts nothing.
 *
 *   npm run bench:feed [-- <rows>]      (default 50000)
 *
 * Method: a private Kafka broker and PostgreSQL cluster; the demo Odoo schema; capture,
 * projector and api as separate processes, as in production.
 * Latency: 500 one-row transactions, one every 10 ms, while a client pages the feed in a tight
 * loop (limit 1000 from its cursor); for each row, the time from COMMIT returning to the first
 * pull that shows it. Throughput: <rows> more rows are committed and projected; then one client
 * pages from cursor 0 to the end with limit 1000, and the clock runs over those pulls only.
 */
import { Client } from 'pg';
import { freePort } from '@odoo-stream/local-infra';
import { newApiKey } from '../apps/api/auth/api-keys';
import {
  benchDatabases,
  benchEnv,
  commitPartners,
  runBench,
  startAppProcess,
  stopProcess,
  waitFor,
} from './bench-processes';
import { latencyLines, rateRatioLine } from './addon-baseline';

const rows = Number(process.argv[2] ?? 50_000);
const LATENCY_SAMPLES = 500;

interface Page {
  events: Array<{ id: number; payload: { name?: string } }>;
  last_id: number;
}

runBench('feed-pull', async (stack, progress) => {
  const { odooUrl, streamUrl } = await benchDatabases(stack);
  const odoo = new Client({ connectionString: odooUrl });
  const stream = new Client({ connectionString: streamUrl });
  const { key, entry } = newApiKey('bench');
  const port = await freePort();
  const env = benchEnv(
    stack,
    { odooUrl, streamUrl },
    {
      API_PORT: String(port),
      API_KEYS: entry,
      API_RATE_LIMIT_PER_MINUTE: '1000000',
    },
  );
  const apps: ReturnType<typeof startAppProcess>[] = [];
  const pull = async (cursor: number): Promise<Page> =>
    (await (
      await fetch(`http://127.0.0.1:${port}/api/webhooks/pull?last_event_id=${cursor}&limit=1000`, {
        headers: { 'X-API-Key': key },
      })
    ).json()) as Page;
  try {
    await odoo.connect();
    await stream.connect();
    for (const app of ['capture', 'projector', 'api']) apps.push(startAppProcess(app, env));
    progress('waiting for the api');
    await waitFor(async () => {
      const ok = await fetch(`http://127.0.0.1:${port}/api/webhooks/health`).catch(() => undefined);
      return ok?.status === 200;
    }, 120_000);
    progress('waiting for a first change to show in the feed');
    // Capture streams and the projector reads once a change shows up. A row written before
    // capture's snapshot is a snapshot read, which the feed leaves out: write until one shows.
    let cursor = 0;
    await waitFor(async () => {
      await odoo.query(
        `INSERT INTO res_partner (name, active, write_uid) VALUES ('warm-up', true, 2)`,
      );
      await new Promise((r) => setTimeout(r, 200));
      const page = await pull(cursor);
      cursor = page.last_id;
      return page.events.length > 0;
    }, 120_000);

    progress(`latency: ${LATENCY_SAMPLES} transactions, one every 10 ms`);
    // Latency: commit -> first pull that shows the row.
    const committedAt = new Map<string, number>();
    const latencies: number[] = [];
    let writing = true;
    const reader = (async () => {
      while (writing || latencies.length < LATENCY_SAMPLES) {
        const page = await pull(cursor);
        const now = performance.now();
        for (const e of page.events) {
          const at = committedAt.get(e.payload.name ?? '');
          if (at !== undefined) latencies.push(now - at);
        }
        cursor = page.last_id;
      }
    })();
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      const name = `latency ${i}`;
      await odoo.query(`INSERT INTO res_partner (name, active, write_uid) VALUES ($1, true, 2)`, [
        name,
      ]);
      committedAt.set(name, performance.now());
      await new Promise((r) => setTimeout(r, 10));
    }
    writing = false;
    await Promise.race([
      reader,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error('latency reader stalled')), 60_000),
      ),
    ]);

    progress(`throughput: committing ${rows} rows and waiting for the projector`);
    // Throughput: one client paging through `rows` projected rows.
    const { rows: before } = await stream.query<{ n: string }>(
      'SELECT count(*) AS n FROM update_webhook',
    );
    await commitPartners(odoo, rows, 100);
    const expected = Number(before[0].n) + rows;
    let lastReport = Date.now();
    await waitFor(async () => {
      const { rows: r } = await stream.query<{ n: string }>(
        'SELECT count(*) AS n FROM update_webhook',
      );
      if (Date.now() - lastReport > 5000) {
        progress(`projected ${Number(r[0].n) - expected + rows}/${rows}`);
        lastReport = Date.now();
      }
      return Number(r[0].n) >= expected;
    }, 900_000);
    const started = performance.now();
    let served = 0;
    let pulls = 0;
    for (let c = 0; ;) {
      const page = await pull(c);
      pulls++;
      served += page.events.length;
      if (page.events.length === 0) break;
      c = page.last_id;
    }
    const seconds = (performance.now() - started) / 1000;

    return [
      `feed-pull: ${LATENCY_SAMPLES} latency samples, then ${served} rows paged by one client (limit 1000)`,
      ...latencyLines('commit in Odoo -> visible in the pull feed', latencies),
      `  pull throughput: ${served} events in ${pulls} pulls, ${seconds.toFixed(2)} s = ${(served / seconds).toFixed(0)} events/s`,
      rateRatioLine(served / seconds),
    ];
  } finally {
    await Promise.all(apps.map(stopProcess));
    await odoo.end().catch(() => undefined);
    await stream.end().catch(() => undefined);
  }
});
