import { parseDomain } from '@odoo-stream/webhooks';
import { notificationRecipient, ORDER_STATE_RULE, orderStatusText } from './order-notification';
import { saleOrderStateName } from './telegram-texts';

describe('order notifications', () => {
  const order = { id: 9, name: 'S00009', state: 'sale', amount_total: 1234.5, partner_id: 42 };

  it('fires on a state change of a sale order and names the partner', () => {
    const change = {
      model: 'sale.order',
      event: 'write' as const,
      changed_fields: ['state'],
      data: order,
    };
    expect(notificationRecipient(ORDER_STATE_RULE, change)).toBe(42);
    expect(
      notificationRecipient(ORDER_STATE_RULE, { ...change, changed_fields: ['note'] }),
    ).toBeNull();
    expect(
      notificationRecipient(ORDER_STATE_RULE, { ...change, model: 'purchase.order' }),
    ).toBeNull();
    expect(
      notificationRecipient(ORDER_STATE_RULE, {
        ...change,
        data: { ...order, partner_id: { id: 5, name: 'X' } },
      }),
    ).toBe(5);
    expect(
      notificationRecipient(ORDER_STATE_RULE, { ...change, data: { ...order, partner_id: null } }),
    ).toBeNull();
    const bigOnly = { ...ORDER_STATE_RULE, domain: parseDomain("[('amount_total', '>', 5000)]") };
    expect(notificationRecipient(bigOnly, change)).toBeNull();
  });

  it('says number, state in the language, date and amount', () => {
    const text = orderStatusText(order, new Date('2026-12-02T10:15:00Z'), 'en');
    expect(text).toBe('Order S00009: Sales Order\nDate: 2026-12-02 10:15 UTC\nAmount: 1234.50');
  });

  it("names Odoo's states as Odoo 17 translates them", () => {
    expect(
      ['draft', 'sent', 'sale', 'done', 'cancel'].map((s) => saleOrderStateName(s, 'en')),
    ).toEqual(['Quotation', 'Quotation Sent', 'Sales Order', 'Locked', 'Cancelled']);
    expect(saleOrderStateName('cancel', 'ru')).toBe('Отменен');
    expect(saleOrderStateName('sale', 'ar')).toBe('أمر البيع');
  });
});
