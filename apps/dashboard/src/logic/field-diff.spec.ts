import { fieldRows, showValue } from './field-diff';

describe('fieldRows', () => {
  it('puts the changed fields first, in the event order, then the rest by name', () => {
    const rows = fieldRows(
      { id: 7, state: 'draft', amount_total: 10, name: 'S0007' },
      { id: 7, state: 'sale', amount_total: 12, name: 'S0007' },
      ['state', 'amount_total'],
    );
    expect(rows.map((r) => [r.field, r.changed])).toEqual([
      ['state', true],
      ['amount_total', true],
      ['id', false],
      ['name', false],
    ]);
    expect(rows[0]).toMatchObject({ before: 'draft', after: 'sale' });
  });

  it('marks a field that differs even when changed_fields does not name it', () => {
    const rows = fieldRows({ a: 1, b: { x: 1 } }, { a: 1, b: { x: 2 } }, []);
    expect(rows.find((r) => r.field === 'b')?.changed).toBe(true);
    expect(rows.find((r) => r.field === 'a')?.changed).toBe(false);
  });

  it('shows a create (no before) and an unlink (no after)', () => {
    expect(fieldRows(null, { id: 1 }, ['id'])).toEqual([
      { field: 'id', before: undefined, after: 1, changed: true },
    ]);
    expect(fieldRows({ id: 1 }, null, [])).toEqual([
      { field: 'id', before: 1, after: undefined, changed: false },
    ]);
  });

  it('shows values as text', () => {
    expect(showValue(null)).toBe('null');
    expect(showValue(undefined)).toBe('');
    expect(showValue('S0007')).toBe('S0007');
    expect(showValue([1, 2])).toBe('[1,2]');
  });
});
