/**
 * `dashboard`: how fast the dashboard's pages and their api answers come with a large event
 * index and delivery log. Capture and the projector index a real Odoo-shaped workload; its rows
 * are then copied (new event ids, record ids and commit times over the last week, the same Avro
 * bytes) up to the event count, and the delivery log is filled with as many deliveries as asked
 * over ten subscribers. The api then answers alone: each endpoint is timed (median of five after
 * one warm-up), and each page in Debian's Chromium from navigation to its data on screen
 * (median of three).
 */
import { existsSync } from 'node:fs';
import { Client } from 'pg';
import { BenchContext, Figure, median } from './bench-result';
import { waitFor } from './bench-processes';
import { RunningService } from './running-service';
import { captureWorkload, deploy } from './workload/captured-workload';
import { iterationsFor } from './workload/odoo-workload';

const CHROMIUM = process.env.BENCH_CHROMIUM ?? '/usr/bin/chromium';
const SUBSCRIBERS = 10;

export async function dashboardBench(ctx: BenchContext): Promise<Figure[]> {
  const events = ctx.quick ? 20_000 : (ctx.events ?? 1_000_000);
  const deliveries = ctx.quick ? 2_000 : 100_000;
  const deployment = await deploy(ctx);
  const service = await RunningService.start(deployment, ['capture', 'projector', 'api']);
  const stream = new Client({ connectionString: deployment.streamUrl });
  await stream.connect();
  const figures: Figure[] = [];
  try {
    const captured = iterationsFor(ctx.quick ? 200 : 2_000, 'events');
    const counts = await captureWorkload(ctx, deployment, captured, true);
    ctx.progress(`indexing ${counts.events} captured events`);
    await waitFor(async () => (await countOf(stream, 'change_event')) >= counts.events, 600_000);
    await service.stopApp('capture');
    await service.stopApp('projector');
    const subscriberIds: number[] = [];
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const id = await service.subscribe(`dashboard-${i}`, `http://127.0.0.1:9/${i}`, [
        'sale.order',
      ]);
      subscriberIds.push(id);
    }
    ctx.progress(
      `filling the event index to ${events} events and the log to ${deliveries} deliveries`,
    );
    await fill(stream, events, deliveries, subscriberIds);
    const sample = await sampleRecord(stream);
    const pages = dashboardPaths(sample, subscriberIds[0]);
    for (const [name, path] of Object.entries(pages.api)) {
      const times: number[] = [];
      for (let i = 0; i < 6; i++) {
        const started = performance.now();
        await service.call('GET', path);
        if (i > 0) times.push(performance.now() - started);
      }
      figures.push({ name: `api ${name}`, value: median(times), unit: 'ms', target: '< 1000' });
    }
    figures.push(...(await browserLoads(ctx, service, pages.browser)));
    const { rows } = await stream.query(
      `SELECT pg_total_relation_size('change_event')::float8 / count(*) AS bytes FROM change_event`,
    );
    figures.push(
      {
        name: 'event index on disk, per event (with its indexes)',
        value: Math.round(rows[0].bytes),
        unit: 'bytes',
      },
      { name: 'events in the index', value: await countOf(stream, 'change_event'), unit: 'events' },
      {
        name: 'deliveries in the log',
        value: await countOf(stream, 'webhook_delivery'),
        unit: 'deliveries',
      },
    );
  } finally {
    await stream.end();
    await service.stop();
    await deployment.close();
  }
  return figures;
}

async function countOf(stream: Client, table: string): Promise<number> {
  const { rows } = await stream.query(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0].n as number;
}

/**
 * Copies of the indexed events (same bytes, so they open) up to `events`, spread over the last
 * week; `deliveries` deliveries of them to the subscribers, one in twenty dead; the change rate
 * of the last hour from the copies.
 */
async function fill(stream: Client, events: number, deliveries: number, subscribers: number[]) {
  const have = await countOf(stream, 'change_event');
  const copies = Math.max(0, Math.ceil((events - have) / have));
  await stream.query(
    `INSERT INTO change_event (event_id, model, record_id, op, "timestamp", uid, changed_fields,
       kafka_topic, kafka_partition, kafka_offset, value)
     SELECT md5(e.event_id || ':' || c), e.model, e.record_id + c * 1000000, e.op,
       now() - random() * interval '7 days', e.uid, e.changed_fields, e.kafka_topic,
       e.kafka_partition, e.kafka_offset, e.value
     FROM change_event e CROSS JOIN generate_series(1, $1::int) c
     LIMIT $2::int`,
    [copies, Math.max(0, events - have)],
  );
  await stream.query(
    `INSERT INTO change_rate (model, minute, changes)
     SELECT model, date_trunc('minute', "timestamp"), count(*) FROM change_event
     WHERE "timestamp" > now() - interval '1 hour' GROUP BY 1, 2
     ON CONFLICT (minute, model) DO UPDATE SET changes = EXCLUDED.changes`,
  );
  await stream.query(
    `INSERT INTO webhook_delivery (delivery_id, subscriber_id, event_id, model, record_id, event,
       status, attempts, http_status, duration_ms, first_attempt_at, last_attempt_at, delivered_at,
       body)
     SELECT 'msg_' || md5(e.event_id || e.n), ($2::int[])[1 + e.n % array_length($2::int[], 1)],
       e.event_id, e.model, e.record_id, CASE e.op WHEN 'read' THEN 'create' ELSE e.op END,
       CASE WHEN e.n % 20 = 0 THEN 'dead' ELSE 'sent' END, 1,
       CASE WHEN e.n % 20 = 0 THEN 500 ELSE 200 END, 20 + e.n % 80, e."timestamp",
       e."timestamp", CASE WHEN e.n % 20 = 0 THEN NULL ELSE e."timestamp" END, '{}'::json
     FROM (SELECT row_number() OVER () AS n, c.* FROM change_event c LIMIT $1::int) e`,
    [deliveries, subscribers],
  );
  await stream.query(
    `INSERT INTO webhook_delivery_attempt (delivery_id, attempt, status, http_status, duration_ms, at)
     SELECT delivery_id, 1, status, http_status, duration_ms, first_attempt_at FROM webhook_delivery`,
  );
  await stream.query(
    'ANALYZE change_event, change_rate, webhook_delivery, webhook_delivery_attempt',
  );
}

async function sampleRecord(stream: Client) {
  const { rows } = await stream.query(
    `SELECT e.event_id, e.model, e.record_id::int AS record_id FROM webhook_delivery d
     JOIN change_event e USING (event_id) WHERE e.model = 'sale.order' LIMIT 1`,
  );
  return rows[0] as { event_id: string; model: string; record_id: number };
}

function dashboardPaths(
  sample: { event_id: string; model: string; record_id: number },
  subscriber: number,
) {
  const timeline = `/api/records/${sample.model}/${sample.record_id}/timeline`;
  return {
    api: {
      overview: '/api/overview',
      'events, newest': '/api/events?limit=50',
      'events of a model': `/api/events?model=${sample.model}&limit=50`,
      'events of a model, one operation, one day': `/api/events?model=${sample.model}&op=write&since=${new Date(Date.now() - 86_400_000).toISOString()}&limit=50`,
      'one event, decoded': `/api/events/${sample.event_id}`,
      'record timeline': timeline,
      'deliveries, newest': '/api/deliveries?limit=50',
      'dead deliveries of a subscriber': `/api/deliveries?subscriber=${subscriber}&status=dead&limit=50`,
      'subscriber stats': `/api/subscribers/${subscriber}/stats`,
      consumers: '/api/consumers',
    },
    browser: {
      overview: ['#/overview', 'tr[data-consumer]'],
      events: ['#/events', 'table tbody tr'],
      'event (before and after)': [
        `#/event?id=${sample.event_id}`,
        'table[aria-label="before and after"] tbody tr',
      ],
      'record timeline': [
        `#/timeline?model=${sample.model}&id=${sample.record_id}`,
        'ol.timeline li',
      ],
      subscribers: ['#/subscribers', 'table tbody tr'],
      deliveries: ['#/deliveries', 'tr[data-status]'],
      consumers: ['#/consumers', 'tr[data-consumer]'],
    } as Record<string, [string, string]>,
  };
}

/** Each page from navigation to its data on screen, in Chromium (skipped without it). */
async function browserLoads(
  ctx: BenchContext,
  service: RunningService,
  pages: Record<string, [string, string]>,
): Promise<Figure[]> {
  if (!existsSync(CHROMIUM)) {
    ctx.progress(`no browser at ${CHROMIUM} (BENCH_CHROMIUM): page loads not measured`);
    return [];
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(service.url);
    await page.getByLabel('Admin key').fill(service.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    const figures: Figure[] = [];
    for (const [name, [hash, ready]] of Object.entries(pages)) {
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        await page.goto('about:blank');
        const started = performance.now();
        await page.goto(`${service.url}/${hash}`);
        await page.locator(ready).first().waitFor({ timeout: 60_000 });
        times.push(performance.now() - started);
      }
      figures.push({
        name: `page ${name}, load to data shown`,
        value: median(times),
        unit: 'ms',
        target: '< 1000',
      });
    }
    return figures;
  } finally {
    await browser.close();
  }
}
