import { createHash } from 'node:crypto';

/**
 * One attempt to deliver one event to one subscriber, as the dispatcher writes it to
 * `<prefix>.stream.delivery-attempts` (JSON, key = delivery_id); the deliveries projection builds
 * the delivery log from these.
 */
export const DELIVERY_STATUSES = ['pending', 'processing', 'sent', 'failed', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface DeliveryAttempt {
  type: 'delivery.attempt';
  /** Also the `webhook-id` header: stable per event and subscriber. */
  delivery_id: string;
  subscriber_id: number;
  event_id: string;
  model: string;
  record_id: number;
  event: string;
  attempt: number;
  status: DeliveryStatus;
  http_status: number | null;
  duration_ms: number | null;
  error_class: string | null;
  error_message: string | null;
  /** The first 2 KB of the answer. */
  response_excerpt: string | null;
  next_retry_at: string | null;
  at: string;
  /** The body sent (kept for retry-now and recovery). */
  body: unknown;
  /** The body was too large for the attempts topic and is not in the log. */
  body_omitted?: boolean;
  /** Sent again by this replay (odoo-stream replay dispatcher.<subscriber>). */
  replay_id?: string;
}

export class MalformedDeliveryAttempt extends Error {
  override name = 'MalformedDeliveryAttempt';
}

function parseJson<T>(bytes: Buffer | null): Partial<T> {
  try {
    return JSON.parse(bytes?.toString('utf8') ?? '') as Partial<T>;
  } catch {
    throw new MalformedDeliveryAttempt('not JSON');
  }
}

export function parseDeliveryAttempt(bytes: Buffer | null): DeliveryAttempt {
  const value = parseJson<DeliveryAttempt>(bytes);
  const ok =
    value?.type === 'delivery.attempt' &&
    typeof value.delivery_id === 'string' &&
    Number.isInteger(value.subscriber_id) &&
    typeof value.event_id === 'string' &&
    Number.isInteger(value.attempt) &&
    (DELIVERY_STATUSES as readonly string[]).includes(value.status as string) &&
    typeof value.at === 'string';
  if (!ok) throw new MalformedDeliveryAttempt('not a delivery attempt');
  return value as DeliveryAttempt;
}

/** `msg_` + 32 hex digits of SHA-256(subscriber id, event id). */
export function deliveryId(subscriberId: number, eventId: string): string {
  const hash = createHash('sha256').update(`${subscriberId}:${eventId}`).digest('hex');
  return `msg_${hash.slice(0, 32)}`;
}

/** Retry now (one delivery, or each one a recovery selects), written by the api. */
export interface DeliveryRetry {
  type: 'delivery.retry';
  delivery_id: string;
  subscriber_id: number;
  event_id: string;
  model: string;
  record_id: number;
  event: string;
  /** Attempts made so far: the next one continues the count. */
  attempts: number;
  body: unknown;
  at: string;
}

export function parseDeliveryRetry(bytes: Buffer | null): DeliveryRetry {
  const value = parseJson<DeliveryRetry>(bytes);
  if (
    value?.type !== 'delivery.retry' ||
    typeof value.delivery_id !== 'string' ||
    !Number.isInteger(value.subscriber_id) ||
    !Number.isInteger(value.attempts)
  ) {
    throw new MalformedDeliveryAttempt('not a delivery retry');
  }
  return value as DeliveryRetry;
}
