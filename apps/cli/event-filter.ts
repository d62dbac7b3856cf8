import { ChangeEvent, modelTopicsOf } from '@odoo-stream/events';

/** What `odoo-stream events` keeps: one record, operations, a start time. */
export interface EventFilter {
  recordId?: number;
  ops?: string[];
  sinceMs?: number;
}

export class EventsUsageError extends Error {
  override name = 'EventsUsageError';
}

const OPS = ['create', 'write', 'unlink', 'read'];

/** The command's options, checked: one clear message for the first thing wrong. */
export function parseEventFilter(
  options: { record?: string; op?: string; since?: string; limit?: string },
  now = Date.now(),
): EventFilter & { limit?: number } {
  const filter: EventFilter & { limit?: number } = {};
  if (options.record !== undefined) {
    const id = Number(options.record);
    if (!Number.isSafeInteger(id) || id < 1) {
      throw new EventsUsageError(
        `--record must be a record id (a positive integer), not '${options.record}'`,
      );
    }
    filter.recordId = id;
  }
  if (options.op !== undefined) {
    const ops = options.op.split(',').map((o) => o.trim());
    const unknown = ops.filter((o) => !OPS.includes(o));
    if (unknown.length > 0) {
      throw new EventsUsageError(
        `--op takes ${OPS.join(', ')} (comma-separated), not '${unknown.join(', ')}'`,
      );
    }
    filter.ops = ops;
  }
  if (options.since !== undefined) {
    const since = Date.parse(options.since);
    if (Number.isNaN(since)) {
      throw new EventsUsageError(
        `--since must be an ISO 8601 time (2026-12-02T09:40:00Z), not '${options.since}'`,
      );
    }
    if (since > now) throw new EventsUsageError(`--since ${options.since} is in the future`);
    filter.sinceMs = since;
  }
  if (options.limit !== undefined) {
    const limit = Number(options.limit);
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw new EventsUsageError(`--limit must be a positive integer, not '${options.limit}'`);
    }
    filter.limit = limit;
  }
  return filter;
}

export function keeps(filter: EventFilter, event: ChangeEvent): boolean {
  return (
    (filter.recordId === undefined || event.record_id === filter.recordId) &&
    (filter.ops === undefined || filter.ops.includes(event.op)) &&
    (filter.sinceMs === undefined || event.ts_ms >= filter.sinceMs)
  );
}

/** The model topic among the broker's topics: `<prefix>.<db>.<model>`, one database or named. */
export function modelTopicFor(
  prefix: string,
  model: string,
  db: string | undefined,
  topics: string[],
) {
  const candidates = modelTopicsOf(prefix, model, db, topics);
  if (candidates.length === 1) return candidates[0];
  if (candidates.length === 0) {
    throw new EventsUsageError(
      `no topic for model '${model}' under prefix '${prefix}'${db ? ` and database '${db}'` : ''} (is it in TRACKED_MODELS, and has capture run?)`,
    );
  }
  throw new EventsUsageError(
    `model '${model}' has topics for several databases (${candidates.join(', ')}): name one with --db`,
  );
}
