import { closeNames, editDistance } from './model-names';

describe('model names a subscription may use', () => {
  it('measures edits', () => {
    expect(editDistance('sale.ordr', 'sale.order')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests the closest known models for a typo, none for something else', () => {
    const known = ['sale.order', 'sale.order.line', 'res.partner', 'crm.lead'];
    expect(closeNames('sale.ordr', known)).toEqual(['sale.order']);
    expect(closeNames('res.partners', known)).toEqual(['res.partner']);
    expect(closeNames('account.move', known)).toEqual([]);
  });
});
