import { changeSeries } from './change-series';

describe('changeSeries', () => {
  const now = new Date('2026-12-03T10:15:30Z');

  it('gives every minute of the span, oldest first, the current one last', () => {
    const series = changeSeries([], now, 3);
    expect(series.minutes).toEqual([
      '2026-12-03T10:13:00.000Z',
      '2026-12-03T10:14:00.000Z',
      '2026-12-03T10:15:00.000Z',
    ]);
    expect(series.models).toEqual([]);
  });

  it('turns counts per minute into changes per second, empty minutes at zero, busiest first', () => {
    const series = changeSeries(
      [
        { model: 'res.partner', minute: new Date('2026-12-03T10:15:00Z'), changes: 6 },
        { model: 'sale.order', minute: new Date('2026-12-03T10:13:00Z'), changes: 120 },
        { model: 'sale.order', minute: new Date('2026-12-03T10:15:00Z'), changes: 30 },
      ],
      now,
      3,
    );
    expect(series.models).toEqual([
      { model: 'sale.order', per_second: [2, 0, 0.5] },
      { model: 'res.partner', per_second: [0, 0, 0.1] },
    ]);
  });

  it('leaves out minutes outside the span', () => {
    const series = changeSeries(
      [{ model: 'sale.order', minute: new Date('2026-12-03T09:00:00Z'), changes: 60 }],
      now,
      3,
    );
    expect(series.models).toEqual([]);
  });
});
