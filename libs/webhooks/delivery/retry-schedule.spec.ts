import { judgeAttempt, parseRetryAfter, RETRY_SCHEDULES } from './retry-schedule';

const schedule = RETRY_SCHEDULES.default;

describe('judgeAttempt', () => {
  it('counts only 2xx as sent', () => {
    expect(judgeAttempt({ status: 204 }, 1, schedule)).toEqual({ outcome: 'sent' });
    for (const status of [301, 302, 400, 404, 500]) {
      expect(judgeAttempt({ status }, 1, schedule).outcome).toBe('retry');
    }
    expect(judgeAttempt({}, 1, schedule).outcome).toBe('retry');
  });

  it('follows the schedule, then gives up', () => {
    const delays = [1, 2, 3, 4, 5].map((n) => judgeAttempt({ status: 500 }, n, schedule));
    expect(delays).toEqual(
      [60, 120, 240, 480, 960].map((s) => ({ outcome: 'retry', delayMs: s * 1000 })),
    );
    expect(judgeAttempt({ status: 500 }, 6, schedule)).toEqual({ outcome: 'dead' });
  });

  it('waits at least Retry-After on 429 and 503, never less than the schedule', () => {
    expect(judgeAttempt({ status: 429, retryAfterSeconds: 300 }, 1, schedule)).toEqual({
      outcome: 'retry',
      delayMs: 300_000,
    });
    expect(judgeAttempt({ status: 503, retryAfterSeconds: 1 }, 1, schedule)).toEqual({
      outcome: 'retry',
      delayMs: 60_000,
    });
  });

  it('treats 410 as gone', () => {
    expect(judgeAttempt({ status: 410 }, 3, schedule)).toEqual({ outcome: 'gone' });
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.UTC(2026, 10, 22, 10, 0, 0);
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter('Sun, 22 Nov 2026 10:01:30 GMT', now)).toBe(90);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
