import { createHash } from 'node:crypto';
import { Clock, DeliveryJob, systemClock } from './delivery-scheduler';

/** A batch delivery: one request carrying several events, settled together. */
export interface BatchJob extends DeliveryJob {
  members: DeliveryJob[];
}

/**
 * Collects a subscriber's jobs into `{batch: true, timestamp, events: [...]}` deliveries: one goes
 * out when `size` jobs wait or `timeoutMs` passed since the first of them.
 */
export class BatchCollector {
  private waiting: DeliveryJob[] = [];
  private timer?: unknown;

  constructor(
    private readonly size: number,
    private readonly timeoutMs: number,
    private readonly emit: (batch: BatchJob) => void,
    private readonly clock: Clock = systemClock,
  ) {}

  add(job: DeliveryJob): void {
    this.waiting.push(job);
    if (this.waiting.length >= this.size) this.flush();
    else if (!this.timer) this.timer = this.clock.setTimeout(() => this.flush(), this.timeoutMs);
  }

  flush(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.waiting.length === 0) return;
    const members = this.waiting;
    this.waiting = [];
    const id = createHash('sha256')
      .update(members.map((m) => m.deliveryId).join(','))
      .digest('hex');
    const first = members[0];
    this.emit({
      ...first,
      deliveryId: `msg_${id.slice(0, 32)}`,
      // One queue for every batch: batches leave in order.
      recordKey: 'batch',
      eventId: `batch:${id.slice(0, 32)}`,
      event: 'batch',
      body: {
        batch: true,
        timestamp: new Date(this.clock.now()).toISOString(),
        events: members.map((m) => m.body),
      },
      attemptsMade: 0,
      members,
    });
  }

  stop(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
