import { categoryOf, FeedConfig } from '@odoo-stream/config';
import { ServedField } from './domain-sql';

/** A model of the add-on that odoo-stream serves over Odoo's JSON-RPC, from its projection. */
export interface ServedModel {
  table: string;
  fields: Record<string, ServedField>;
  defaultOrder: string;
}

/** The fields both event models have: which change of which record. */
const CHANGE_FIELDS: Record<string, ServedField> = {
  id: { column: 'id', type: 'integer' },
  model: { column: 'model', type: 'char' },
  record_id: { column: 'record_id', type: 'integer' },
  event: { column: 'event', type: 'selection' },
  display_name: { column: `model || ':' || record_id || ' (' || event || ')'`, type: 'char' },
};

/** Odoo's `update.webhook`, read from the feed table. */
const UPDATE_WEBHOOK: ServedModel = {
  table: 'update_webhook',
  defaultOrder: 'id',
  fields: {
    ...CHANGE_FIELDS,
    payload: { column: 'payload', type: 'json' },
    changed_fields: { column: 'to_jsonb(changed_fields)', type: 'json' },
    timestamp: { column: '"timestamp"', type: 'datetime' },
    user_id: { column: 'user_id', type: 'many2one', nameColumn: 'user_name' },
    is_processed: { column: 'is_processed', type: 'boolean' },
    processed_at: { column: 'processed_at', type: 'datetime' },
    is_archived: { column: 'is_archived', type: 'boolean' },
    archived_at: { column: 'archived_at', type: 'datetime' },
    priority: { column: 'priority', type: 'selection' },
    category: { column: 'category', type: 'selection' },
  },
};

/** Odoo's `user.sync.state`, read from the sync-state table. */
const USER_SYNC_STATE: ServedModel = {
  table: 'user_sync_state',
  defaultOrder: 'id',
  fields: {
    id: { column: 'id', type: 'integer' },
    user_id: { column: 'user_id', type: 'many2one', nameColumn: `'res.users,' || user_id` },
    device_id: { column: 'device_id', type: 'char' },
    app_type: { column: 'app_type', type: 'selection' },
    last_event_id: { column: 'last_event_id', type: 'integer' },
    last_sync_time: { column: 'last_sync_time', type: 'datetime' },
    sync_count: { column: 'sync_count', type: 'integer' },
    is_active: { column: 'is_active', type: 'boolean' },
    device_info: { column: 'device_info', type: 'text' },
    app_version: { column: 'app_version', type: 'char' },
    last_event_count: { column: 'last_event_count', type: 'integer' },
    total_events_synced: { column: 'total_events_synced', type: 'integer' },
    display_name: { column: `device_id || ' (' || app_type || ')'`, type: 'char' },
  },
};

/**
 * Odoo's `webhook.event` (one push delivery to one subscriber), read from the delivery log.
 * Priority, category and changed fields come from the body sent (absent with a template).
 */
const WEBHOOK_EVENT: ServedModel = {
  table: 'webhook_delivery',
  defaultOrder: 'id',
  fields: {
    ...CHANGE_FIELDS,
    timestamp: { column: 'COALESCE(first_attempt_at, last_attempt_at)', type: 'datetime' },
    priority: { column: `(body::jsonb ->> 'priority')`, type: 'selection' },
    category: { column: `(body::jsonb ->> 'category')`, type: 'selection' },
    status: { column: 'status', type: 'selection' },
    // Failed attempts, as the add-on counts its retries.
    retry_count: {
      column: `GREATEST(attempts - CASE WHEN status = 'sent' THEN 1 ELSE 0 END, 0)`,
      type: 'integer',
    },
    max_retries: {
      column: `(SELECT cardinality(s.retry_schedule) FROM webhook_subscriber s WHERE s.id = subscriber_id)`,
      type: 'integer',
    },
    next_retry_at: { column: 'next_retry_at', type: 'datetime' },
    error_message: { column: 'error_message', type: 'text' },
    error_type: { column: 'error_class', type: 'char' },
    error_code: { column: 'http_status', type: 'integer' },
    payload: { column: 'body::jsonb', type: 'json' },
    changed_fields: { column: `(body::jsonb -> 'changed_fields')`, type: 'json' },
    subscriber_id: {
      column: 'subscriber_id',
      type: 'many2one',
      nameColumn: `(SELECT s.name FROM webhook_subscriber s WHERE s.id = subscriber_id)`,
    },
    sent_at: { column: 'delivered_at', type: 'datetime' },
    response_code: { column: 'http_status', type: 'integer' },
    response_body: { column: 'response_excerpt', type: 'text' },
    is_archived: { column: 'FALSE', type: 'boolean' },
  },
};

export const SERVED_MODELS: Record<string, ServedModel> = {
  'update.webhook': UPDATE_WEBHOOK,
  'user.sync.state': USER_SYNC_STATE,
  'webhook.event': WEBHOOK_EVENT,
};

/** A column value as Odoo's `read` returns it: empty as False, many2one as [id, name]. */
export function odooValue(field: ServedField, value: unknown, name?: unknown): unknown {
  if (value === null || value === undefined) {
    return field.type === 'integer' ? 0 : field.type === 'boolean' ? false : false;
  }
  switch (field.type) {
    case 'integer':
      return Number(value);
    case 'datetime':
      return (value instanceof Date ? value : new Date(String(value)))
        .toISOString()
        .slice(0, 19)
        .replace('T', ' ');
    case 'many2one':
      return [Number(value), name === null || name === undefined ? '' : String(name)];
    default:
      return value;
  }
}

/**
 * Odoo's `webhook.config`: what the add-on configured per model is, in odoo-stream, the tracked
 * models with their feed priority and category. Read-only; its records are numbered in
 * TRACKED_MODELS order.
 */
export function webhookConfigModel(
  trackedModels: string[],
  feed: Pick<FeedConfig, 'priorities' | 'categories' | 'categoriesByArea'>,
): ServedModel {
  const text = (v: string) => `'${v.replace(/'/g, "''")}'`;
  const rows = trackedModels.map(
    (model, i) =>
      `(${i + 1}, ${text(model)}, ${text(feed.priorities[model] ?? 'medium')}, ${text(categoryOf(feed, model))})`,
  );
  const values = rows.length > 0 ? rows.join(', ') : `(0, '', 'medium', 'business')`;
  const constant = (column: string, type: ServedField['type']): ServedField => ({ column, type });
  return {
    table: `(SELECT * FROM (VALUES ${values}) AS v(id, model_name, priority, category)
             WHERE id > 0) AS webhook_config`,
    defaultOrder: 'id',
    fields: {
      id: constant('id', 'integer'),
      name: constant('model_name', 'char'),
      display_name: constant('model_name', 'char'),
      model_name: constant('model_name', 'char'),
      model_id: constant('NULL::int', 'many2one'),
      enabled: constant('TRUE', 'boolean'),
      active: constant('TRUE', 'boolean'),
      priority: constant('priority', 'selection'),
      category: constant('category', 'selection'),
      events: constant(`'create,write,unlink'`, 'selection'),
      filter_domain: constant('NULL::text', 'text'),
      batch_enabled: constant('FALSE', 'boolean'),
      batch_size: constant('100', 'integer'),
      batch_timeout: constant('60', 'integer'),
      instant_send: constant('FALSE', 'boolean'),
    },
  };
}

/** Every model answered over JSON-RPC (the others go to Odoo, with ODOO_URL). */
export const SERVED_MODEL_NAMES: readonly string[] = [
  ...Object.keys(SERVED_MODELS),
  'webhook.config',
];
