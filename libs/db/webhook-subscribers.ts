import { DataSource, EntityManager } from 'typeorm';

export interface SubscriptionRecord {
  id: number;
  subscriber_id: number;
  model: string;
  events: Array<'create' | 'write' | 'unlink'>;
  tracked_fields: string[];
  filter_domain: string | null;
  included_fields: string[] | null;
  excluded_fields: string[] | null;
  template: string | null;
  priority: string | null;
  created_at: Date;
}

/** A subscriber as the dispatcher needs it, secrets included (the api masks them). */
export interface SubscriberRecord {
  id: number;
  name: string;
  endpoint_url: string;
  enabled: boolean;
  disabled_reason: string | null;
  auth_type: 'none' | 'bearer' | 'basic' | 'api_key';
  auth_username: string | null;
  auth_secret: string | null;
  api_key_header: string;
  custom_headers: Record<string, string>;
  secret: string;
  previous_secret: string | null;
  /** When the secret was last rotated (the previous one signs for the overlap after it). */
  rotated_at: Date | null;
  signature_header: string | null;
  preset: string | null;
  timeout_ms: number;
  rate_limit_per_minute: number;
  retry_schedule: number[];
  ordered: boolean;
  max_concurrency: number;
  batch_size: number;
  batch_timeout_ms: number;
  failing_since: Date | null;
  created_at: Date;
  updated_at: Date;
  subscriptions: SubscriptionRecord[];
}

/** Subscribers with their subscriptions, in id order. */
export async function loadSubscribers(
  db: DataSource | EntityManager,
  where: { id?: number; enabledOnly?: boolean } = {},
): Promise<SubscriberRecord[]> {
  const subscribers: SubscriberRecord[] = await db.query(
    `SELECT * FROM webhook_subscriber
     WHERE ($1::int IS NULL OR id = $1) AND (NOT $2 OR enabled) ORDER BY id`,
    [where.id ?? null, where.enabledOnly ?? false],
  );
  if (subscribers.length === 0) return [];
  const subscriptions: SubscriptionRecord[] = await db.query(
    `SELECT * FROM webhook_subscription WHERE subscriber_id = ANY($1::int[]) ORDER BY id`,
    [subscribers.map((s) => s.id)],
  );
  return subscribers.map((s) => ({
    ...s,
    subscriptions: subscriptions.filter((r) => r.subscriber_id === s.id),
  }));
}
