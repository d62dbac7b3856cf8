import { minuteCounts } from './change-rate';

describe('minuteCounts', () => {
  it('counts each model per minute of commit time', () => {
    const at = Date.parse('2026-12-03T10:15:00Z');
    expect(
      minuteCounts([
        { model: 'sale.order', timestampMs: at + 100 },
        { model: 'sale.order', timestampMs: at + 59_999 },
        { model: 'res.partner', timestampMs: at + 5 },
        { model: 'sale.order', timestampMs: at + 60_000 },
      ]),
    ).toEqual([
      { model: 'sale.order', minute: '2026-12-03T10:15:00.000Z', changes: 2 },
      { model: 'res.partner', minute: '2026-12-03T10:15:00.000Z', changes: 1 },
      { model: 'sale.order', minute: '2026-12-03T10:16:00.000Z', changes: 1 },
    ]);
  });

  it('has nothing to count in an empty batch', () => {
    expect(minuteCounts([])).toEqual([]);
  });
});
