import { AttemptVerdict, judgeAttempt } from '@odoo-stream/webhooks';
import { SendResult } from '@odoo-stream/webhooks';

/** One event to deliver to one subscriber. */
export interface DeliveryJob {
  deliveryId: string;
  /** `model/record_id`: jobs of one record go out in order when the subscriber is ordered. */
  recordKey: string;
  eventId: string;
  model: string;
  recordId: number;
  event: string;
  body: unknown;
  topic: string;
  partition: number;
  offset: string;
  /** Attempts already made (a delivery resumed after a restart continues its schedule). */
  attemptsMade: number;
  /** Not to be attempted before this time (ms): a retry's due time, kept across restarts. */
  dueAt?: number;
  /** Sent again by this replay: the delivery log shows it. */
  replayId?: string;
}

export interface SchedulerPolicy {
  ordered: boolean;
  maxConcurrency: number;
  retrySchedule: readonly number[];
  /** Requests per minute, 0 = no limit: a limit makes sends wait, never fail. */
  ratePerMinute: number;
}

/** After an edge failed (the attempt log unreachable while stopping), the job is tried again. */
const EDGE_FAILURE_RETRY_MS = 1000;

/** The edges the scheduler drives: HTTP, the attempts topic, the dead-letter topic, offsets. */
export interface SchedulerEdges {
  send(job: DeliveryJob, attempt: number): Promise<SendResult>;
  recordAttempt(
    job: DeliveryJob,
    attempt: number,
    verdict: AttemptVerdict,
    result: SendResult,
  ): Promise<void>;
  deadLetter(job: DeliveryJob, result: SendResult): Promise<void>;
  /** The job is done with (sent or dead): its offset may be committed. */
  settle(job: DeliveryJob): void;
  /** 410: the endpoint is gone; the subscriber is to be disabled. */
  gone(job: DeliveryJob, result: SendResult): void;
  failed(error: unknown): void;
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/**
 * Delivers a subscriber's jobs with bounded concurrency. A failed attempt is retried on a timer,
 * not awaited in line: other records keep flowing, while later jobs of the same record wait
 * behind it when the subscriber is ordered.
 */
export class DeliveryScheduler {
  /** Jobs waiting per record, the head being delivered or waiting for its retry. */
  private readonly records = new Map<string, DeliveryJob[]>();
  /** Records whose head can be attempted now, in arrival order. */
  private readonly ready: string[] = [];
  private readonly timers = new Set<unknown>();
  private running = 0;
  private nextStartAt = 0;
  private pumpTimer?: unknown;
  private stopped = false;

  constructor(
    private readonly policy: SchedulerPolicy,
    private readonly edges: SchedulerEdges,
    private readonly clock: Clock = systemClock,
  ) {}

  get queued(): number {
    let n = 0;
    for (const jobs of this.records.values()) n += jobs.length;
    return n;
  }

  submit(job: DeliveryJob): void {
    const key = this.policy.ordered ? job.recordKey : job.deliveryId;
    const jobs = this.records.get(key);
    if (jobs) {
      jobs.push(job);
      return;
    }
    this.records.set(key, [job]);
    this.readyAt(key, (job.dueAt ?? 0) - this.clock.now());
  }

  /** The record's head may be attempted after `ms` (now when not positive). */
  private readyAt(key: string, ms: number): void {
    if (ms <= 0) {
      this.ready.push(key);
      this.pump();
      return;
    }
    const timer = this.clock.setTimeout(() => {
      this.timers.delete(timer);
      this.ready.push(key);
      this.pump();
    }, ms);
    this.timers.add(timer);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) this.clock.clearTimeout(t);
    this.timers.clear();
    if (this.pumpTimer) this.clock.clearTimeout(this.pumpTimer);
  }

  private pump(): void {
    while (!this.stopped && this.running < this.policy.maxConcurrency && this.ready.length > 0) {
      const wait = this.nextStartAt - this.clock.now();
      if (wait > 0) {
        if (!this.pumpTimer) {
          this.pumpTimer = this.clock.setTimeout(() => {
            this.pumpTimer = undefined;
            this.pump();
          }, wait);
        }
        return;
      }
      if (this.policy.ratePerMinute > 0) {
        this.nextStartAt = this.clock.now() + 60_000 / this.policy.ratePerMinute;
      }
      const key = this.ready.shift() as string;
      this.running++;
      this.attempt(key).then(
        () => {
          this.running--;
          this.pump();
        },
        (error) => {
          // The job stays at its record's head and is attempted again: never settled, never lost.
          this.running--;
          this.edges.failed(error);
          if (!this.stopped) this.readyAt(key, EDGE_FAILURE_RETRY_MS);
          this.pump();
        },
      );
    }
  }

  private async attempt(key: string): Promise<void> {
    const job = this.records.get(key)?.[0];
    if (!job) return;
    const attempt = job.attemptsMade + 1;
    const result = await this.edges.send(job, attempt);
    if (this.stopped) return;
    const verdict = judgeAttempt(result, attempt, this.policy.retrySchedule);
    await this.edges.recordAttempt(job, attempt, verdict, result);
    job.attemptsMade = attempt;
    switch (verdict.outcome) {
      case 'sent':
        return this.done(key, job);
      case 'dead':
        await this.edges.deadLetter(job, result);
        return this.done(key, job);
      case 'gone':
        this.stop();
        return this.edges.gone(job, result);
      case 'retry':
        return this.readyAt(key, verdict.delayMs);
    }
  }

  private done(key: string, job: DeliveryJob): void {
    this.edges.settle(job);
    const jobs = this.records.get(key) as DeliveryJob[];
    jobs.shift();
    if (jobs.length === 0) this.records.delete(key);
    else this.readyAt(key, (jobs[0].dueAt ?? 0) - this.clock.now());
  }
}
