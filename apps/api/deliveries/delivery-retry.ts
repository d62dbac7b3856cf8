import { DeliveryRetry } from '@odoo-stream/events';

/** The retry command for a delivery-log row: one more attempt with the body first sent. */
export function retryOf(d: Record<string, unknown>): DeliveryRetry {
  return {
    type: 'delivery.retry',
    delivery_id: d.delivery_id as string,
    subscriber_id: d.subscriber_id as number,
    event_id: d.event_id as string,
    model: d.model as string,
    record_id: Number(d.record_id),
    event: d.event as string,
    attempts: d.attempts as number,
    body: d.body,
    at: new Date().toISOString(),
  };
}
