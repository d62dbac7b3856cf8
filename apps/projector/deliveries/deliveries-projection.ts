import { KafkaMessage } from 'kafkajs';
import { EntityManager } from 'typeorm';
import { DeliveryAttempt, parseDeliveryAttempt } from '@odoo-stream/events';
import { ProjectedMessage, Projection } from '../framework/projection';
import { PROJECTIONS } from '../projection-catalog';
import { deliveryStates } from './delivery-state';

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

  /** Every attempt, then each delivery's latest state: two statements per batch. */
  async apply(tx: EntityManager, messages: ProjectedMessage<DeliveryAttempt>[]): Promise<void> {
    const attempts = messages.map(({ value: a }) => ({
      delivery_id: a.delivery_id,
      attempt: a.attempt,
      status: a.status,
      http_status: a.http_status,
      duration_ms: a.duration_ms,
      error_class: a.error_class,
      error_message: a.error_message,
      response_excerpt: a.response_excerpt,
      next_retry_at: a.next_retry_at,
      at: a.at,
    }));
    await tx.query(
      `INSERT INTO webhook_delivery_attempt (delivery_id, attempt, status, http_status,
         duration_ms, error_class, error_message, response_excerpt, next_retry_at, at)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS v(delivery_id varchar, attempt int,
         status varchar, http_status int, duration_ms int, error_class varchar,
         error_message text, response_excerpt text, next_retry_at timestamptz, at timestamptz)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(attempts)],
    );
    const states = deliveryStates(messages.map((m) => m.value)).map((s) => ({
      ...s,
      // The column is json: the body's own text, not re-encoded by jsonb.
      body: JSON.stringify(s.body),
    }));
    await tx.query(
      `INSERT INTO webhook_delivery (delivery_id, subscriber_id, event_id, model, record_id,
         event, status, attempts, http_status, duration_ms, error_class, error_message,
         response_excerpt, next_retry_at, body, first_attempt_at, last_attempt_at, delivered_at,
         replay_id)
       SELECT v.delivery_id, v.subscriber_id, v.event_id, v.model, v.record_id, v.event,
         v.status, v.attempts, v.http_status, v.duration_ms, v.error_class, v.error_message,
         v.response_excerpt, v.next_retry_at, v.body::json, v.first_attempt_at,
         v.last_attempt_at, v.delivered_at, v.replay_id
       FROM jsonb_to_recordset($1::jsonb) AS v(delivery_id varchar, subscriber_id int,
         event_id varchar, model varchar, record_id bigint, event varchar, status varchar,
         attempts int, http_status int, duration_ms int, error_class varchar,
         error_message text, response_excerpt text, next_retry_at timestamptz, body text,
         first_attempt_at timestamptz, last_attempt_at timestamptz, delivered_at timestamptz,
         replay_id varchar)
       ON CONFLICT (delivery_id) DO UPDATE SET status = EXCLUDED.status,
         attempts = EXCLUDED.attempts, http_status = EXCLUDED.http_status,
         duration_ms = EXCLUDED.duration_ms, error_class = EXCLUDED.error_class,
         error_message = EXCLUDED.error_message, response_excerpt = EXCLUDED.response_excerpt,
         next_retry_at = EXCLUDED.next_retry_at, body = EXCLUDED.body,
         last_attempt_at = EXCLUDED.last_attempt_at,
         delivered_at = COALESCE(webhook_delivery.delivered_at, EXCLUDED.delivered_at),
         replay_id = COALESCE(EXCLUDED.replay_id, webhook_delivery.replay_id)
       WHERE EXCLUDED.attempts >= webhook_delivery.attempts`,
      [JSON.stringify(states)],
    );
  }
}
