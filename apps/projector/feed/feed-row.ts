import { categoryOf, FeedConfig, FeedPriority } from '@odoo-stream/config';
import { ChangeEvent, JsonImage } from '@odoo-stream/events';

/** One row of `update_webhook`, before the feed assigns its cursor id. */
export interface FeedRow {
  event_id: string;
  model: string;
  record_id: number;
  event: 'create' | 'write' | 'unlink';
  /** The record's column values; the projection turns them into the add-on's payload. */
  payload: Record<string, unknown>;
  changed_fields: string[];
  timestamp: string;
  user_id: number | null;
  priority: FeedPriority;
  category: string;
  kafka_topic: string;
  kafka_partition: number;
  kafka_offset: string;
}

export interface KafkaCoordinates {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * The feed row of a change event: the record's values after the change (before it, for an
 * unlink), stamped with the model's priority and category. Snapshot reads are not changes; they
 * enter the feed (as creates) only when the operator asks for it.
 */
export function feedRow(
  event: ChangeEvent,
  toJson: (image: NonNullable<ChangeEvent['after']>) => JsonImage,
  config: Pick<FeedConfig, 'priorities' | 'categories' | 'categoriesByArea' | 'includeSnapshot'>,
  from: KafkaCoordinates,
): FeedRow | null {
  if (event.op === 'read' && !config.includeSnapshot) return null;
  const image = event.op === 'unlink' ? event.before : event.after;
  return {
    event_id: event.event_id,
    model: event.model,
    record_id: event.record_id,
    event: event.op === 'read' ? 'create' : event.op,
    payload: image ? toJson(image) : { id: event.record_id },
    changed_fields: event.changed_fields,
    timestamp: new Date(event.ts_ms).toISOString(),
    user_id: event.uid,
    priority: config.priorities[event.model] ?? 'medium',
    category: categoryOf(config, event.model),
    kafka_topic: from.topic,
    kafka_partition: from.partition,
    kafka_offset: from.offset,
  };
}
