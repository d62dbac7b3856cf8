import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '@odoo-stream/config';
import { Acknowledgement } from '@odoo-stream/events';
import { StreamPublisher } from './stream-publisher';
import { ProjectionProgress } from './projection-progress';

type Unstamped<T> = T extends Acknowledgement ? Omit<T, 'ack_id' | 'at'> : never;

/**
 * Writes an acknowledgement and waits (API_ACK_WAIT_MS at most) for its projection to apply it,
 * so that an answer reflects the caller's own write. `applied: false`: written (durable, it will
 * be applied) but not applied yet; the caller answers from `written` and says so.
 */
@Injectable()
export class Acknowledger {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly publisher: StreamPublisher,
    private readonly progress: ProjectionProgress,
  ) {}

  async acknowledge<T extends Acknowledgement>(
    ack: Unstamped<T>,
  ): Promise<{ ackId: string; written: T; applied: boolean }> {
    const written = { ...ack, ack_id: randomUUID(), at: new Date().toISOString() } as unknown as T;
    const position = await this.publisher.publish(written);
    const applied = await this.progress.waitFor(position, this.config.feed.ackWaitMs);
    return { ackId: written.ack_id, written, applied };
  }
}
