export interface LagPoint {
  at: number;
  lag: number;
}

export interface Overview {
  at: string;
  changes: { minutes: string[]; models: Array<{ model: string; per_second: number[] }> };
  capture: {
    slot: string;
    active: boolean;
    lag_bytes: number;
    lag_seconds: number;
    status: string;
  };
  consumers: Array<{ name: string; group: string; state: string; lag: number; trend: LagPoint[] }>;
  alerts: Array<{ kind: string; message: string; subscriber_id?: number; count?: number }>;
}

export interface EventSummary {
  event_id: string;
  model: string;
  record_id: number;
  op: string;
  timestamp: string;
  uid: number | null;
  changed_fields: string[];
  kafka_topic: string;
  kafka_partition: number;
  kafka_offset: string;
}

export interface EventDetail extends EventSummary {
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  lsn: string;
  tx_id: number | null;
  captured_at: string;
}

export interface TimelineEntry extends EventSummary {
  deliveries: Array<{
    delivery_id: string;
    subscriber_id: number;
    subscriber_name: string | null;
    status: string;
    attempts: number;
    first_attempt_at: string | null;
    delivered_at: string | null;
  }>;
  feed: { id: number; is_processed: boolean } | null;
}

export interface Subscriber {
  id: number;
  name: string;
  endpoint_url: string;
  enabled: boolean;
  disabled_reason?: string | null;
  auth_type: string;
  secret?: string;
  subscriptions?: Subscription[];
  [key: string]: unknown;
}

export interface Subscription {
  id: number;
  model: string;
  events: string[];
  tracked_fields?: string[];
  filter_domain?: string | null;
}

export interface SubscriberStats {
  deliveries: number;
  pending: number;
  sent: number;
  failed: number;
  dead: number;
  success_rate: number | null;
  latency_ms: { p50: number | null; p99: number | null };
}

export interface Delivery {
  delivery_id: string;
  subscriber_id: number;
  event_id: string;
  model: string;
  record_id: number;
  event: string;
  status: string;
  attempts: number;
  http_status: number | null;
  duration_ms: number | null;
  error_class: string | null;
  error_message: string | null;
  first_attempt_at: string | null;
  last_attempt_at: string | null;
  delivered_at: string | null;
  replay_id: string | null;
}

export interface Consumer {
  name: string;
  subscriber?: { id: number; name: string };
  group: string;
  state: string;
  kafka_state: string;
  members: number;
  lag: number;
  last_commit_at: string | null;
  partitions: Array<{
    topic: string;
    partition: number;
    committed: string;
    end: string;
    lag: number;
  }>;
  rebuild?: { id: string; done: number; total: number; lag: number };
}

export interface ControlRecord {
  type: string;
  id: string;
  consumer: string;
  group: string;
  by: string;
  at: string;
  reason: string | null;
  target?: string;
  status?: string;
  events?: number;
  detail?: string | null;
  offsets: Array<{
    topic: string;
    partition: number;
    before: string | null;
    after: string;
    end: string;
  }>;
}

export interface ReplayPlan {
  consumer: string;
  group: string;
  target: string;
  partitions: Array<{
    topic: string;
    partition: number;
    current: string | null;
    next: string;
    end: string;
    again: string;
    skipped: string;
  }>;
  again: string;
  skipped: string;
}
