/**
 * The `payload` of the add-on's `update.webhook` rows, as its `_webhook_prepare_payload` builds
 * it from an Odoo record: many2one as `{id, name}` (`{id: false, name: ''}` when empty), x2many
 * as `[{id, name}]` (the first 50), empty values as `false` (Odoo's convention), datetimes in
 * ISO form, plus `_metadata` and, for a write, `_changed_fields`. Names are display names.
 */

/** One stored field of a model, from Odoo's `ir_model_fields`. */
export interface OdooField {
  name: string;
  ttype: string;
  /** The target model of a relational field. */
  relation: string | null;
  /** Translated char/text/html: stored as jsonb `{"en_US": ...}`, read in one language. */
  translate: boolean;
  /** one2many: the target's many2one back to this record. */
  relationField: string | null;
  /** many2many: the table of pairs and its two columns (this record's, the target's). */
  relationTable: string | null;
  column1: string | null;
  column2: string | null;
}

/** Fields the add-on leaves out of every payload. */
export const ADDON_SKIPPED_FIELDS: ReadonlySet<string> = new Set([
  'create_uid',
  'write_uid',
  '__last_update',
  'message_ids',
  'message_follower_ids',
  'activity_ids',
]);

/** The add-on sends at most this many records of an x2many field. */
export const X2MANY_LIMIT = 50;

export const X2MANY_TYPES: ReadonlySet<string> = new Set(['one2many', 'many2many']);

export interface PayloadSource {
  model: string;
  recordId: number;
  operation: 'create' | 'write' | 'unlink';
  /** Column values of the record (after the change; before it for an unlink). */
  values: Record<string, unknown>;
  changedFields: string[];
  /** When the change happened (ISO 8601). */
  at: string;
}

/** What the payload needs from Odoo beyond the record's own columns. */
export interface RecordLookups {
  /** Display name of a record; undefined when unknown (deleted, unreadable). */
  displayName(model: string, id: number): string | undefined;
  /** Ids an x2many field of the record holds (already limited). */
  related(field: string, recordId: number): number[] | undefined;
}

/**
 * The add-on's payload for one record. `fields` are the model's stored fields; without them (a
 * database without Odoo's metadata) the values pass through with empty ones as `false`.
 */
export function addonPayload(
  source: PayloadSource,
  fields: ReadonlyMap<string, OdooField>,
  lookups: RecordLookups,
): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  if (fields.size === 0) {
    for (const [name, value] of Object.entries(source.values)) {
      if (name.startsWith('_') || ADDON_SKIPPED_FIELDS.has(name)) continue;
      data[name] = value === null || value === undefined ? false : value;
    }
  } else {
    for (const field of fields.values()) {
      if (field.name.startsWith('_') || ADDON_SKIPPED_FIELDS.has(field.name)) continue;
      if (X2MANY_TYPES.has(field.ttype)) {
        const ids = lookups.related(field.name, source.recordId);
        if (ids === undefined) continue;
        data[field.name] = ids.slice(0, X2MANY_LIMIT).map((id) => ({
          id,
          name: field.relation ? (lookups.displayName(field.relation, id) ?? '') : '',
        }));
        continue;
      }
      if (!(field.name in source.values)) continue;
      data[field.name] = fieldValue(field, source.values[field.name], lookups);
    }
  }
  data._metadata = {
    model: source.model,
    id: source.recordId,
    display_name:
      lookups.displayName(source.model, source.recordId) ??
      nameFromValues(source.values) ??
      String(source.recordId),
    operation: source.operation,
    timestamp: pythonIsoformat(source.at),
  };
  if (source.operation === 'write') data._changed_fields = source.changedFields;
  return data;
}

/** One column's value as Odoo's ORM reads it. */
export function fieldValue(field: OdooField, value: unknown, lookups: RecordLookups): unknown {
  const empty = value === null || value === undefined;
  switch (field.ttype) {
    case 'many2one': {
      if (empty || typeof value !== 'number') return { id: false, name: '' };
      const name = field.relation ? lookups.displayName(field.relation, value) : undefined;
      return { id: value, name: name ?? '' };
    }
    case 'datetime':
      return empty ? false : String(value).replace(' ', 'T');
    case 'boolean':
    case 'binary':
      return !empty && value !== false && value !== '';
    case 'integer':
    case 'float':
    case 'monetary':
    case 'many2one_reference':
      return empty ? 0 : value;
    case 'char':
    case 'text':
    case 'html':
      if (empty || value === '') return false;
      return typeof value === 'object'
        ? (translated(value as Record<string, string>) ?? false)
        : value;
    default:
      return empty ? false : value;
  }
}

/** A translated value read in English (the add-on reads as the superuser), else any language. */
export function translated(value: Record<string, string> | null): string | null {
  if (!value || typeof value !== 'object') return null;
  return value.en_US ?? Object.values(value)[0] ?? null;
}

/** Python's `datetime.isoformat()` of a naive UTC time without microseconds. */
export function pythonIsoformat(iso: string): string {
  return new Date(iso).toISOString().slice(0, 19);
}

function nameFromValues(values: Record<string, unknown>): string | undefined {
  for (const key of ['complete_name', 'display_name', 'name']) {
    const value = values[key];
    if (typeof value === 'string' && value) return value;
    if (value && typeof value === 'object') {
      const text = translated(value as Record<string, string>);
      if (text) return text;
    }
  }
  return undefined;
}
