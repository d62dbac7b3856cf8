/**
 * `delivery`: signed webhooks a second from the dispatcher to local receivers. Per round and per
 * subscriber count (1, then 10, every subscriber taking every event of the workload's models):
 * the subscribers are created and receive a first webhook, the dispatcher is stopped, capture
 * puts the Odoo-shaped workload on the topics (sized so that every run makes the same number of
 * deliveries), then the dispatcher starts again and the clock runs from its start to the last
 * webhook received, and from the first webhook to the last.
 */
import { Client } from 'pg';
import { BenchContext, Figure, median } from './bench-result';
import { waitFor } from './bench-processes';
import { RunningService, WebhookReceiver } from './running-service';
import { captureWorkload, deploy } from './workload/captured-workload';
import { iterationsFor, WORKLOAD_MODELS } from './workload/odoo-workload';

const SUBSCRIBER_COUNTS = [1, 10];

export async function deliveryBench(ctx: BenchContext): Promise<Figure[]> {
  const deliveries = ctx.quick ? 200 : (ctx.events ?? 30_000);
  const deployment = await deploy(ctx);
  const receiver = new WebhookReceiver();
  const endpoint = await receiver.start();
  const service = await RunningService.start(deployment, ['capture', 'projector', 'api']);
  const rates = new Map<number, { fromStart: number[]; steady: number[] }>(
    SUBSCRIBER_COUNTS.map((n) => [n, { fromStart: [], steady: [] }]),
  );
  try {
    for (let r = 1; r <= ctx.rounds; r++) {
      for (const count of SUBSCRIBER_COUNTS) {
        const ids: number[] = [];
        for (let i = 0; i < count; i++) {
          const name = `bench-${r}-${count}-${i}`;
          ids.push(await service.subscribe(name, `${endpoint}/${name}`, WORKLOAD_MODELS));
        }
        ctx.progress(`round ${r}: ${count} subscriber(s) waiting for a first webhook each`);
        service.startApp('dispatcher');
        await warmUp(deployment.sql, receiver, ids.length);
        await service.stopApp('dispatcher');
        const iterations = iterationsFor(Math.ceil(deliveries / count), 'events');
        const counts = await captureWorkload(ctx, deployment, iterations, true);
        const expected = counts.events * count;
        const before = receiver.arrivals.size;
        ctx.progress(`round ${r}: the dispatcher delivering ${expected} webhooks`);
        const started = performance.now();
        service.startApp('dispatcher');
        await waitFor(async () => receiver.arrivals.size - before >= expected, 1_800_000);
        const times = [...receiver.arrivals.values()].slice(before);
        const last = Math.max(...times);
        rates.get(count)?.fromStart.push(expected / ((last - started) / 1000));
        rates.get(count)?.steady.push(expected / ((last - Math.min(...times)) / 1000));
        await service.stopApp('dispatcher');
        for (const id of ids) await service.call('DELETE', `/api/subscribers/${id}`);
      }
    }
  } finally {
    await service.stop();
    await receiver.stop();
    await deployment.close();
  }
  return SUBSCRIBER_COUNTS.flatMap((count) => {
    const rate = rates.get(count) as { fromStart: number[]; steady: number[] };
    const who = count === 1 ? '1 subscriber' : `${count} subscribers, total`;
    return [
      {
        name: `${who}, first webhook to last`,
        value: median(rate.steady),
        unit: 'webhooks/s',
        target: '>= 3000',
      },
      {
        name: `${who}, dispatcher start to last webhook`,
        value: median(rate.fromStart),
        unit: 'webhooks/s',
      },
    ];
  });
}

/** Partners written one by one until every new subscriber has had a webhook. */
async function warmUp(sql: Client, receiver: WebhookReceiver, subscribers: number) {
  receiver.paths.clear();
  let n = 0;
  await waitFor(async () => {
    await sql.query(
      `INSERT INTO res_partner (name, complete_name, type, active, company_id, create_uid, write_uid)
       VALUES ($1, $1, 'contact', true, 1, 2, 2)`,
      [`warm-up ${n++}`],
    );
    await new Promise((resolve) => setTimeout(resolve, 250));
    return receiver.paths.size >= subscribers;
  }, 180_000);
}
