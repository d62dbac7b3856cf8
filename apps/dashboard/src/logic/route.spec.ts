import { parseRoute, routeHref } from './route';

describe('dashboard routes', () => {
  it('reads the page and its parameters from the hash', () => {
    expect(parseRoute('#/timeline?model=sale.order&id=4711')).toEqual({
      page: 'timeline',
      params: { model: 'sale.order', id: '4711' },
    });
  });

  it('takes an empty or unknown hash for the overview', () => {
    expect(parseRoute('')).toEqual({ page: 'overview', params: {} });
    expect(parseRoute('#/nowhere?x=1').page).toBe('overview');
  });

  it('writes hashes it reads back, leaving empty parameters out', () => {
    const href = routeHref('events', { model: 'res.partner', op: '', record_id: 7 });
    expect(href).toBe('#/events?model=res.partner&record_id=7');
    expect(parseRoute(href)).toEqual({
      page: 'events',
      params: { model: 'res.partner', record_id: '7' },
    });
  });
});
