import { AttemptVerdict } from '@odoo-stream/webhooks';
import { Clock, DeliveryJob, DeliveryScheduler, SchedulerEdges } from './delivery-scheduler';
import { SendResult } from '@odoo-stream/webhooks';

/** A clock whose timers run when the test says. */
class ManualClock implements Clock {
  time = 0;
  timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private nextId = 0;
  now = () => this.time;
  setTimeout = (fn: () => void, ms: number) => {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, fn, id });
    return id;
  };
  clearTimeout = (id: unknown) => {
    this.timers = this.timers.filter((t) => t.id !== id);
  };
  async advance(ms: number) {
    this.time += ms;
    const due = this.timers.filter((t) => t.at <= this.time);
    this.timers = this.timers.filter((t) => t.at > this.time);
    for (const t of due) t.fn();
    await settleAll();
  }
}

const settleAll = () => new Promise((r) => setImmediate(r));

function job(record: string, n: number): DeliveryJob {
  return {
    deliveryId: `${record}-${n}`,
    recordKey: record,
    eventId: `${record}-${n}`,
    model: 'sale.order',
    recordId: 1,
    event: 'write',
    body: {},
    topic: 't',
    partition: 0,
    offset: String(n),
    attemptsMade: 0,
  };
}

function harness(answers: (job: DeliveryJob, attempt: number) => number, ordered = true) {
  const sent: string[] = [];
  const verdicts: Array<[string, number, AttemptVerdict['outcome']]> = [];
  const settled: string[] = [];
  const dead: string[] = [];
  const clock = new ManualClock();
  const edges: SchedulerEdges = {
    send: async (j, attempt): Promise<SendResult> => {
      sent.push(`${j.deliveryId}#${attempt}`);
      return { status: answers(j, attempt), durationMs: 1 };
    },
    recordAttempt: async (j, attempt, verdict) => {
      verdicts.push([j.deliveryId, attempt, verdict.outcome]);
    },
    deadLetter: async (j) => {
      dead.push(j.deliveryId);
    },
    settle: (j) => settled.push(j.deliveryId),
    gone: () => undefined,
    failed: (e) => {
      throw e;
    },
  };
  const scheduler = new DeliveryScheduler(
    { ordered, maxConcurrency: 2, retrySchedule: [1, 2], ratePerMinute: 0 },
    edges,
    clock,
  );
  return { scheduler, sent, verdicts, settled, dead, clock };
}

describe('DeliveryScheduler', () => {
  it('retries on a timer while other records keep flowing, and keeps one record in order', async () => {
    // The first attempt of a-1 fails; everything else succeeds.
    const h = harness((j, attempt) => (j.deliveryId === 'a-1' && attempt === 1 ? 503 : 200));
    h.scheduler.submit(job('a', 1));
    h.scheduler.submit(job('a', 2));
    h.scheduler.submit(job('b', 3));
    await settleAll();
    expect(h.sent).toEqual(['a-1#1', 'b-3#1']);
    expect(h.settled).toEqual(['b-3']);
    await h.clock.advance(1000);
    expect(h.sent).toEqual(['a-1#1', 'b-3#1', 'a-1#2', 'a-2#1']);
    expect(h.settled).toEqual(['b-3', 'a-1', 'a-2']);
  });

  it('does not hold back other events of the record when the subscriber is not ordered', async () => {
    const h = harness((j, attempt) => (j.deliveryId === 'a-1' && attempt === 1 ? 500 : 200), false);
    h.scheduler.submit(job('a', 1));
    h.scheduler.submit(job('a', 2));
    await settleAll();
    expect(h.settled).toEqual(['a-2']);
  });

  it('gives up after the last retry: dead, dead-lettered, settled', async () => {
    const h = harness(() => 500);
    h.scheduler.submit(job('a', 1));
    await settleAll();
    await h.clock.advance(1000);
    await h.clock.advance(2000);
    expect(h.verdicts).toEqual([
      ['a-1', 1, 'retry'],
      ['a-1', 2, 'retry'],
      ['a-1', 3, 'dead'],
    ]);
    expect(h.dead).toEqual(['a-1']);
    expect(h.settled).toEqual(['a-1']);
  });

  it('makes sends wait for the rate limit instead of failing them', async () => {
    const h = harness(() => 200);
    const limited = new DeliveryScheduler(
      { ordered: false, maxConcurrency: 4, retrySchedule: [1], ratePerMinute: 60 },
      {
        send: async (j) => {
          h.sent.push(j.deliveryId);
          return { status: 200, durationMs: 1 };
        },
        recordAttempt: async () => undefined,
        deadLetter: async () => undefined,
        settle: () => undefined,
        gone: () => undefined,
        failed: () => undefined,
      },
      h.clock,
    );
    for (let i = 1; i <= 3; i++) limited.submit(job(`r${i}`, i));
    await settleAll();
    expect(h.sent).toEqual(['r1-1']);
    await h.clock.advance(1000);
    expect(h.sent).toEqual(['r1-1', 'r2-2']);
    await h.clock.advance(1000);
    expect(h.sent).toEqual(['r1-1', 'r2-2', 'r3-3']);
  });

  it('never settles a job whose attempt record could not be written: it is attempted again', async () => {
    const h = harness(() => 200);
    const failures: unknown[] = [];
    let refuse = 2;
    const scheduler = new DeliveryScheduler(
      { ordered: true, maxConcurrency: 2, retrySchedule: [1], ratePerMinute: 0 },
      {
        send: async (j, attempt) => {
          h.sent.push(`${j.deliveryId}#${attempt}`);
          return { status: 200, durationMs: 1 };
        },
        recordAttempt: async () => {
          if (refuse-- > 0) throw new Error('MESSAGE_TOO_LARGE');
        },
        deadLetter: async () => undefined,
        settle: (j) => h.settled.push(j.deliveryId),
        gone: () => undefined,
        failed: (e) => failures.push(e),
      },
      h.clock,
    );
    scheduler.submit(job('a', 1));
    scheduler.submit(job('a', 2));
    await settleAll();
    expect(h.settled).toEqual([]);
    await h.clock.advance(1000);
    expect(h.settled).toEqual([]);
    await h.clock.advance(1000);
    // Sent again with the same delivery id, then recorded, settled, and the record goes on.
    expect(h.sent).toEqual(['a-1#1', 'a-1#1', 'a-1#1', 'a-2#1']);
    expect(h.settled).toEqual(['a-1', 'a-2']);
    expect(failures).toHaveLength(2);
  });

  it("waits for a resumed retry's due time instead of attempting it at once", async () => {
    const h = harness(() => 200);
    h.scheduler.submit({ ...job('a', 1), attemptsMade: 1, dueAt: 5000 });
    h.scheduler.submit(job('b', 2));
    await settleAll();
    expect(h.sent).toEqual(['b-2#1']);
    await h.clock.advance(4999);
    expect(h.sent).toEqual(['b-2#1']);
    await h.clock.advance(1);
    expect(h.sent).toEqual(['b-2#1', 'a-1#2']);
  });
});
