import { Domain, matchesDomain } from '../filter/odoo-domain';
import { FieldFilter } from '../payload/payload-shaper';

export type WebhookEvent = 'create' | 'write' | 'unlink';
export const WEBHOOK_EVENTS: readonly WebhookEvent[] = ['create', 'write', 'unlink'];

/** One subscription of a subscriber, ready to match (its domain parsed once). */
export interface SubscriptionRule extends FieldFilter {
  id: number;
  model: string;
  events: WebhookEvent[];
  /** Fire on write only when one of these changed (empty: any write). */
  tracked_fields: string[];
  domain: Domain | null;
  template: string | null;
  priority: string | null;
}

export interface ChangeToMatch {
  model: string;
  event: WebhookEvent;
  changed_fields: string[];
  data: Record<string, unknown>;
}

/** Does this change fire this subscription? */
export function matchesRule(rule: SubscriptionRule, change: ChangeToMatch): boolean {
  if (rule.model !== change.model || !rule.events.includes(change.event)) return false;
  if (
    change.event === 'write' &&
    rule.tracked_fields.length > 0 &&
    !rule.tracked_fields.some((f) => change.changed_fields.includes(f))
  ) {
    return false;
  }
  return rule.domain === null || matchesDomain(rule.domain, change.data);
}

/** The first subscription of a subscriber that this change fires, if any. */
export function firstMatch(rules: SubscriptionRule[], change: ChangeToMatch) {
  return rules.find((rule) => matchesRule(rule, change));
}
