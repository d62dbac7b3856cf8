import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '@odoo-stream/config';
import { Acknowledgement } from '@odoo-stream/events';
import { StreamPublisher } from './stream-publisher';
import { ProjectionProgress } from './projection-progress';

type Unstamped<T> = T extends Acknowledgement ? Omit<T, 'ack_id' | 'at'> : never;

/**
 * Writes an acknowledgement and waits (API_ACK_WAIT_MS at most) for its projection to apply it,
 * so that an answer reflects the caller's own write; `applied: false` means answer 202.
 */
@Injectable()
export class Acknowledger {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly publisher: StreamPublisher,
    private readonly progress: ProjectionProgress,
  ) {}

  async acknowledge(ack: Unstamped<Acknowledgement>): Promise<{ ackId: string; applied: boolean }> {
    const stamped = {
      ...ack,
      ack_id: randomUUID(),
      at: new Date().toISOString(),
    } as Acknowledgement;
    const written = await this.publisher.publish(stamped);
    const applied = await this.progress.waitFor(written, this.config.feed.ackWaitMs);
    return { ackId: stamped.ack_id, applied };
  }
}
