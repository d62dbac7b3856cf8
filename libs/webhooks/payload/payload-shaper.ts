import nunjucks from 'nunjucks';
import {
  checkTemplateSource,
  hardenTemplateRuntime,
  TemplateSandboxError,
} from './template-sandbox';

/** A reference to another record, as Odoo's JSON shows a many2one. */
export interface RecordRef {
  id: number;
  name: string | null;
}

export interface ShapingInput {
  event_id: string;
  model: string;
  record_id: number;
  event: 'create' | 'write' | 'unlink';
  /** Commit time, ISO 8601. */
  timestamp: string;
  priority: string;
  category: string;
  changed_fields: string[];
  /** The record's values (after the change; before it for an unlink), many2one as RecordRef. */
  data: Record<string, unknown>;
}

export interface FieldFilter {
  included?: string[] | null;
  excluded?: string[] | null;
}

export class TemplateError extends Error {
  override name = 'TemplateError';
}

/** Keeps the fields asked for (`id` always), drops the excluded ones. */
export function filterFields(
  data: Record<string, unknown>,
  filter: FieldFilter,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(data)) {
    if (field !== 'id' && filter.included?.length && !filter.included.includes(field)) continue;
    if (filter.excluded?.includes(field)) continue;
    out[field] = value;
  }
  return out;
}

/** The default body every subscriber gets without a template. */
export function defaultBody(input: ShapingInput): Record<string, unknown> {
  return {
    event_id: input.event_id,
    model: input.model,
    record_id: input.record_id,
    event: input.event,
    timestamp: input.timestamp,
    priority: input.priority,
    category: input.category,
    data: input.data,
    changed_fields: input.changed_fields,
  };
}

const refName = (value: unknown) =>
  value && typeof value === 'object' ? ((value as RecordRef).name ?? null) : null;

/**
 * The G-Assistant connector's bodies: a lead or a sale order, in the fields it reads; null for a
 * model it does not take.
 */
export function gAssistantBody(input: ShapingInput): Record<string, unknown> | null {
  const d = input.data;
  if (input.model === 'crm.lead') {
    return {
      event: 'lead_updated',
      timestamp: input.timestamp,
      data: {
        id: input.record_id,
        name: d.name ?? null,
        partner_name: d.partner_name ?? refName(d.partner_id),
        email_from: d.email_from ?? null,
        stage_name: refName(d.stage_id),
        expected_revenue: d.expected_revenue ?? null,
        probability: d.probability ?? null,
      },
    };
  }
  if (input.model === 'sale.order') {
    return {
      event: 'sale_order_updated',
      timestamp: input.timestamp,
      data: {
        id: input.record_id,
        name: d.name ?? null,
        partner_name: refName(d.partner_id),
        state: d.state ?? null,
        amount_total: d.amount_total ?? null,
      },
    };
  }
  return null;
}

/**
 * Jinja2-compatible templates (nunjucks) whose output must be JSON, run in a sandbox that sees
 * the event's data and the filters only (see template-sandbox.ts). Variables: event, model,
 * record_id, record, timestamp, priority, category, changed_fields, data; filters:
 * currency_format, uppercase, lowercase, date_only, boolean_string (and `tojson`, `dump`).
 */
export class TemplateRenderer {
  private readonly env: nunjucks.Environment;
  private readonly cache = new Map<string, nunjucks.Template>();

  constructor() {
    hardenTemplateRuntime();
    this.env = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: false });
    this.env.addFilter('currency_format', (v: unknown, symbol = '') => {
      const n = Number(v);
      if (!Number.isFinite(n)) return String(v ?? '');
      const text = n.toLocaleString('en-US', {
        minimumFractionDigits: 2,
        maximumFractionDigits: 2,
      });
      return symbol ? `${symbol}${text}` : text;
    });
    this.env.addFilter('uppercase', (v: unknown) => String(v ?? '').toUpperCase());
    this.env.addFilter('lowercase', (v: unknown) => String(v ?? '').toLowerCase());
    this.env.addFilter('date_only', (v: unknown) => String(v ?? '').slice(0, 10));
    this.env.addFilter('boolean_string', (v: unknown) => (v ? 'true' : 'false'));
    this.env.addFilter('tojson', (v: unknown) => JSON.stringify(v ?? null));
  }

  /** Checked by the sandbox and compiled once per template text. */
  private compiled(template: string): nunjucks.Template {
    let compiled = this.cache.get(template);
    if (!compiled) {
      try {
        checkTemplateSource(template);
      } catch (error) {
        const reason = (error as Error).message.replace(/\s+/g, ' ');
        throw new TemplateError(
          error instanceof TemplateSandboxError
            ? `template refused: ${reason}`
            : `template failed: ${reason}`,
        );
      }
      compiled = new nunjucks.Template(template, this.env, undefined, true);
      if (this.cache.size >= 1000) this.cache.clear();
      this.cache.set(template, compiled);
    }
    return compiled;
  }

  /**
   * The template's body for this event; TemplateError when it is refused by the sandbox, fails
   * or is not JSON.
   */
  render(template: string, input: ShapingInput): unknown {
    const text = this.renderText(template, input);
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new TemplateError(
        `template output is not JSON (${(error as Error).message}): ${text.slice(0, 200)}`,
      );
    }
  }

  /** The template's output as text (a chat message); TemplateError when refused or failing. */
  renderText(template: string, input: ShapingInput): string {
    try {
      return this.compiled(template).render({
        event: input.event,
        model: input.model,
        record_id: input.record_id,
        record: input.data,
        data: input.data,
        timestamp: input.timestamp,
        priority: input.priority,
        category: input.category,
        changed_fields: input.changed_fields,
        event_id: input.event_id,
      });
    } catch (error) {
      if (error instanceof TemplateError) throw error;
      throw new TemplateError(`template failed: ${(error as Error).message.replace(/\s+/g, ' ')}`);
    }
  }
}

/** What a template is checked against when it is saved. */
export function sampleInput(model: string): ShapingInput {
  return {
    event_id: 'sample',
    model,
    record_id: 1,
    event: 'write',
    timestamp: new Date(0).toISOString(),
    priority: 'medium',
    category: 'sample',
    changed_fields: ['name'],
    data: { id: 1, name: 'Sample', partner_id: { id: 1, name: 'Sample partner' }, amount_total: 0 },
  };
}
