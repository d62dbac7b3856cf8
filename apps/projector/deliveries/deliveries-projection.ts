import { KafkaMessage } from 'kafkajs';
import { EntityManager } from 'typeorm';
import { DeliveryAttempt, parseDeliveryAttempt } from '@odoo-stream/events';
import { ProjectedMessage, Projection } from '../framework/projection';
import { PROJECTIONS } from '../projection-catalog';

/**
 * The delivery log: `webhook_delivery` (one row per subscriber and event, its latest state) and
 * `webhook_delivery_attempt` (every attempt), from `<prefix>.stream.delivery-attempts`.
 */
export class DeliveriesProjection implements Projection<DeliveryAttempt> {
  readonly name = 'deliveries';
  readonly tables = PROJECTIONS.deliveries.tables;

  constructor(private readonly prefix: string) {}

  selectTopics(existing: string[]): string[] {
    return PROJECTIONS.deliveries.topics(this.prefix, existing);
  }

  async decode(_topic: string, _partition: number, message: KafkaMessage) {
    return parseDeliveryAttempt(message.value);
  }

  async apply(tx: EntityManager, messages: ProjectedMessage<DeliveryAttempt>[]): Promise<void> {
    for (const { value: a } of messages) {
      await tx.query(
        `INSERT INTO webhook_delivery_attempt (delivery_id, attempt, status, http_status,
           duration_ms, error_class, error_message, response_excerpt, next_retry_at, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
        [
          a.delivery_id,
          a.attempt,
          a.status,
          a.http_status,
          a.duration_ms,
          a.error_class,
          a.error_message,
          a.response_excerpt,
          a.next_retry_at,
          a.at,
        ],
      );
      await tx.query(
        `INSERT INTO webhook_delivery (delivery_id, subscriber_id, event_id, model, record_id,
           event, status, attempts, http_status, duration_ms, error_class, error_message,
           response_excerpt, next_retry_at, body, first_attempt_at, last_attempt_at, delivered_at,
           replay_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7::varchar, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16,
           CASE WHEN $7::varchar = 'sent' THEN $16::timestamptz END, $17)
         ON CONFLICT (delivery_id) DO UPDATE SET status = EXCLUDED.status,
           attempts = EXCLUDED.attempts, http_status = EXCLUDED.http_status,
           duration_ms = EXCLUDED.duration_ms, error_class = EXCLUDED.error_class,
           error_message = EXCLUDED.error_message, response_excerpt = EXCLUDED.response_excerpt,
           next_retry_at = EXCLUDED.next_retry_at, body = EXCLUDED.body,
           last_attempt_at = EXCLUDED.last_attempt_at,
           delivered_at = COALESCE(webhook_delivery.delivered_at, EXCLUDED.delivered_at),
           replay_id = COALESCE(EXCLUDED.replay_id, webhook_delivery.replay_id)
         WHERE EXCLUDED.attempts >= webhook_delivery.attempts`,
        [
          a.delivery_id,
          a.subscriber_id,
          a.event_id,
          a.model,
          a.record_id,
          a.event,
          a.status,
          a.attempt,
          a.http_status,
          a.duration_ms,
          a.error_class,
          a.error_message,
          a.response_excerpt,
          a.next_retry_at,
          JSON.stringify(a.body ?? null),
          a.at,
          a.replay_id ?? null,
        ],
      );
    }
  }
}
