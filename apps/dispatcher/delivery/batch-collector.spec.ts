import { BatchCollector, BatchJob } from './batch-collector';
import { Clock, DeliveryJob } from './delivery-scheduler';

const job = (n: number): DeliveryJob => ({
  deliveryId: `d${n}`,
  recordKey: `r${n}`,
  eventId: `e${n}`,
  model: 'sale.order',
  recordId: n,
  event: 'write',
  body: { n },
  topic: 't',
  partition: 0,
  offset: String(n),
  attemptsMade: 0,
});

describe('BatchCollector', () => {
  const timers: Array<() => void> = [];
  const clock: Clock = {
    now: () => 0,
    setTimeout: (fn) => timers.push(fn),
    clearTimeout: () => timers.splice(0),
  };

  it('sends a batch when it is full, and the rest when the timeout passes', () => {
    const batches: BatchJob[] = [];
    const collector = new BatchCollector(3, 5000, (b) => batches.push(b), clock);
    for (let n = 1; n <= 4; n++) collector.add(job(n));
    expect(batches).toHaveLength(1);
    expect(batches[0].body).toEqual({
      batch: true,
      timestamp: new Date(0).toISOString(),
      events: [{ n: 1 }, { n: 2 }, { n: 3 }],
    });
    expect(batches[0].members.map((m) => m.offset)).toEqual(['1', '2', '3']);
    timers.shift()?.();
    expect(batches).toHaveLength(2);
    expect((batches[1].body as { events: unknown[] }).events).toEqual([{ n: 4 }]);
    expect(batches[0].deliveryId).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(batches[0].deliveryId).not.toBe(batches[1].deliveryId);
  });
});
