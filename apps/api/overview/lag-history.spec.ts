import { LagHistory } from './lag-history';

describe('LagHistory', () => {
  it('keeps one sample per spacing, within the window, per consumer', () => {
    const history = new LagHistory(31_000, 10_000);
    history.record(0, [{ name: 'projector.feed', lag: 5 }]);
    history.record(4_000, [{ name: 'projector.feed', lag: 9 }]); // too soon: not kept
    history.record(10_000, [{ name: 'projector.feed', lag: 3 }]);
    history.record(41_000, [{ name: 'projector.feed', lag: 0 }]);
    expect(history.trend('projector.feed')).toEqual([
      { at: 10_000, lag: 3 },
      { at: 41_000, lag: 0 },
    ]);
  });

  it('forgets a consumer that is gone', () => {
    const history = new LagHistory(60_000, 1);
    history.record(0, [{ name: 'dispatcher.crm', lag: 1 }]);
    history.record(5, [{ name: 'projector.feed', lag: 2 }]);
    expect(history.trend('dispatcher.crm')).toEqual([]);
    expect(history.trend('projector.feed')).toEqual([{ at: 5, lag: 2 }]);
  });
});
