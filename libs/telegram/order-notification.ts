import { Domain, matchesRule, SubscriptionRule, WebhookEvent } from '@odoo-stream/webhooks';
import { botText, saleOrderStateName, TelegramLanguage } from './telegram-texts';

/**
 * When a change sends a Telegram message, and to whom: the rule engine of webhook subscriptions
 * (model, events, tracked fields, Odoo domain, nunjucks template) plus the field that names the
 * recipient partner.
 */
export interface NotificationRule {
  id: string;
  model: string;
  events: WebhookEvent[];
  tracked_fields: string[];
  domain: Domain | null;
  /** nunjucks, rendered as text with the record's values; null: the built-in order message. */
  template: string | null;
  /** A many2one to res.partner on the model, for example `partner_id`. */
  recipient_field: string;
}

/** Built in: a sale order's customer hears about each change of its state. */
export const ORDER_STATE_RULE: NotificationRule = {
  id: 'sale.order.state',
  model: 'sale.order',
  events: ['create', 'write'],
  tracked_fields: ['state'],
  domain: null,
  template: null,
  recipient_field: 'partner_id',
};

export interface NotifiableChange {
  model: string;
  event: WebhookEvent;
  changed_fields: string[];
  data: Record<string, unknown>;
}

/** The partner a rule sends this change to, or null when the rule does not fire. */
export function notificationRecipient(
  rule: NotificationRule,
  change: NotifiableChange,
): number | null {
  const asSubscription: SubscriptionRule = {
    id: 0,
    model: rule.model,
    events: rule.events,
    tracked_fields: rule.tracked_fields,
    domain: rule.domain,
    template: null,
    priority: null,
  };
  if (!matchesRule(asSubscription, change)) return null;
  const value = change.data[rule.recipient_field];
  const id = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : value;
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** The built-in order message: number, state in the customer's language, date of the change, amount. */
export function orderStatusText(
  data: Record<string, unknown>,
  changedAt: Date,
  lang: TelegramLanguage,
): string {
  const amount = Number(data.amount_total);
  return botText('orderStatus', lang, {
    name: String(data.name ?? data.id ?? ''),
    state: saleOrderStateName(String(data.state ?? ''), lang),
    date: changedAt.toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    amount: Number.isFinite(amount) ? amount.toFixed(2) : String(data.amount_total ?? ''),
  });
}
