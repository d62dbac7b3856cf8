import { catchUpProgress, progressText } from './catch-up';

describe('catch-up progress', () => {
  const offsets = [
    { topic: 't', partition: 0, before: '100', after: '0', end: '100' },
    { topic: 't', partition: 1, before: '50', after: '50', end: '50' },
  ];

  it('counts events done towards the recorded ends, with a rate and the time left', () => {
    const p = catchUpProgress(offsets, new Map([['t/0', 40n]]), 2000);
    expect(p).toEqual({ done: 40, total: 100, rate: 20, secondsLeft: 3, caughtUp: false });
    expect(catchUpProgress(offsets, new Map([['t/0', 120n]]), 1000).caughtUp).toBe(true);
    expect(progressText(p, false)).toBe('40% 40/100 events, 20/s, 3 s left');
    expect(progressText(p, true)).toMatch(/^\[#{12}-{18}\] {2}40% /);
  });
});
