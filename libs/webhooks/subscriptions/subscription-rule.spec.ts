import { parseDomain } from '../filter/odoo-domain';
import { firstMatch, matchesRule, SubscriptionRule } from './subscription-rule';

const rule: SubscriptionRule = {
  id: 1,
  model: 'sale.order',
  events: ['create', 'write'],
  tracked_fields: ['state', 'amount_total'],
  domain: parseDomain("[('state','=','sale'),('amount_total','>',1000)]"),
  template: null,
  priority: null,
};
const change = {
  model: 'sale.order',
  event: 'write' as const,
  changed_fields: ['state'],
  data: { state: 'sale', amount_total: 1500 },
};

describe('matchesRule', () => {
  it('fires for a tracked change of a matching record', () => {
    expect(matchesRule(rule, change)).toBe(true);
  });

  it('does not fire for another model, event, untracked write or a record outside the domain', () => {
    expect(matchesRule(rule, { ...change, model: 'purchase.order' })).toBe(false);
    expect(matchesRule(rule, { ...change, event: 'unlink' })).toBe(false);
    expect(matchesRule(rule, { ...change, changed_fields: ['note'] })).toBe(false);
    expect(matchesRule(rule, { ...change, data: { state: 'sale', amount_total: 900 } })).toBe(
      false,
    );
  });

  it('checks tracked fields on writes only, and any write when none are tracked', () => {
    expect(matchesRule(rule, { ...change, event: 'create', changed_fields: [] })).toBe(true);
    expect(
      matchesRule({ ...rule, tracked_fields: [] }, { ...change, changed_fields: ['note'] }),
    ).toBe(true);
  });

  it('gives the first subscription that fires', () => {
    const other = { ...rule, id: 2, domain: null, tracked_fields: [] };
    expect(firstMatch([rule, other], { ...change, changed_fields: ['note'] })?.id).toBe(2);
    expect(firstMatch([rule], { ...change, model: 'crm.lead' })).toBeUndefined();
  });
});
