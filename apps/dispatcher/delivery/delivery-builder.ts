import { categoryOf, FeedConfig } from '@odoo-stream/config';
import { SubscriberRecord } from '@odoo-stream/db';
import { ChangeEvent, deliveryId, JsonImage } from '@odoo-stream/events';
import {
  defaultBody,
  filterFields,
  firstMatch,
  gAssistantBody,
  parseDomain,
  ShapingInput,
  SubscriptionRule,
  TemplateRenderer,
  WebhookEvent,
} from '@odoo-stream/webhooks';

/** What a change means for one subscriber: nothing, a body to send, or a template that failed. */
export type DeliveryPlan =
  | { kind: 'skip' }
  | { kind: 'send'; deliveryId: string; body: unknown }
  | { kind: 'unrenderable'; deliveryId: string; reason: string };

/** The subscriber's subscriptions with their domains parsed once. */
export function subscriptionRules(subscriber: SubscriberRecord): SubscriptionRule[] {
  return subscriber.subscriptions.map((s) => ({
    id: s.id,
    model: s.model,
    events: s.events,
    tracked_fields: s.tracked_fields ?? [],
    domain: s.filter_domain ? parseDomain(s.filter_domain) : null,
    template: s.template,
    priority: s.priority,
    included: s.included_fields,
    excluded: s.excluded_fields,
  }));
}

/**
 * The record's values with each many2one (by Odoo's metadata: `targets`, field to model) as
 * `{id, name}`, the name its display name.
 */
export function withReferences(
  values: JsonImage,
  targets: ReadonlyMap<string, string> = new Map(),
  names: (model: string, id: number) => string | null = () => null,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(values)) {
    const target = targets.get(field);
    out[field] =
      target && typeof value === 'number' ? { id: value, name: names(target, value) } : value;
  }
  return out;
}

/**
 * Decides and shapes one subscriber's delivery of one change event: the first subscription it
 * fires, its field filter, then the preset, the template or the default body.
 */
export class DeliveryBuilder {
  private readonly templates = new TemplateRenderer();

  constructor(
    private readonly subscriber: SubscriberRecord,
    private readonly rules: SubscriptionRule[],
    private readonly feed: Pick<FeedConfig, 'priorities' | 'categories' | 'categoriesByArea'>,
  ) {}

  plan(event: ChangeEvent, values: Record<string, unknown> | null): DeliveryPlan {
    if (event.op === 'read') return { kind: 'skip' };
    const data = values ?? { id: event.record_id };
    const rule = firstMatch(this.rules, {
      model: event.model,
      event: event.op as WebhookEvent,
      changed_fields: event.changed_fields,
      data,
    });
    if (!rule) return { kind: 'skip' };
    const id = deliveryId(this.subscriber.id, event.event_id);
    const input: ShapingInput = {
      event_id: event.event_id,
      model: event.model,
      record_id: event.record_id,
      event: event.op as WebhookEvent,
      timestamp: new Date(event.ts_ms).toISOString(),
      priority: rule.priority ?? this.feed.priorities[event.model] ?? 'medium',
      category: categoryOf(this.feed, event.model),
      changed_fields: event.changed_fields,
      data: filterFields(data, rule),
    };
    if (this.subscriber.preset === 'g-assistant') {
      const body = gAssistantBody(input);
      if (body) return { kind: 'send', deliveryId: id, body };
    }
    if (rule.template) {
      try {
        return { kind: 'send', deliveryId: id, body: this.templates.render(rule.template, input) };
      } catch (error) {
        return { kind: 'unrenderable', deliveryId: id, reason: (error as Error).message };
      }
    }
    return { kind: 'send', deliveryId: id, body: defaultBody(input) };
  }
}
