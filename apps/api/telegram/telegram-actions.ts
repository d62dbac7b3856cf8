import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { OperatorEvent } from '@odoo-stream/telegram';
import { StreamPublisher } from '../acknowledgements/stream-publisher';
import { AuthenticatedRequest } from '../auth/principal';

type Action = OperatorEvent extends infer E
  ? E extends OperatorEvent
    ? Omit<E, 'id' | 'by' | 'at'>
    : never
  : never;

/**
 * An operator's or administrator's action onto the Telegram topic, signed with who did it; the
 * projection and the dispatcher take it from there (answered 202 once Kafka has it).
 */
@Injectable()
export class TelegramActions {
  constructor(private readonly publisher: StreamPublisher) {}

  async publish(request: AuthenticatedRequest, action: Action) {
    const id = randomUUID();
    const at = new Date().toISOString();
    await this.publisher.publishTelegram({
      ...action,
      id,
      by: request.principal ?? 'key:unknown',
      at,
    } as OperatorEvent);
    return { success: true, accepted: true, id, timestamp: at };
  }
}
