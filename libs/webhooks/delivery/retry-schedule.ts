/** Seconds to wait before each retry. */
export const RETRY_SCHEDULES = {
  /** The add-on's schedule. */
  default: [60, 120, 240, 480, 960],
  /** Standard Webhooks' recommended schedule. */
  'standard-webhooks': [5, 300, 1800, 7200, 18000, 36000, 36000],
} as const;

export type RetrySchedule = readonly number[];

/** What one attempt's answer means for the delivery. */
export type AttemptVerdict =
  | { outcome: 'sent' }
  | { outcome: 'retry'; delayMs: number }
  | { outcome: 'dead' }
  | { outcome: 'gone' };

export interface AttemptResult {
  /** HTTP status, or undefined when no answer came (refused, timeout, DNS, TLS). */
  status?: number;
  /** Retry-After in seconds when the answer carried one. */
  retryAfterSeconds?: number;
}

/**
 * Success is 2xx only; 410 means the endpoint is gone (the subscriber is disabled); anything
 * else is retried on the schedule (`attempt` counts from 1), with 429 and 503 waiting at least
 * what Retry-After asks; after the last retry the delivery is dead.
 */
export function judgeAttempt(
  result: AttemptResult,
  attempt: number,
  schedule: RetrySchedule,
): AttemptVerdict {
  if (result.status !== undefined && result.status >= 200 && result.status < 300) {
    return { outcome: 'sent' };
  }
  if (result.status === 410) return { outcome: 'gone' };
  if (attempt > schedule.length) return { outcome: 'dead' };
  let delayMs = schedule[attempt - 1] * 1000;
  if ((result.status === 429 || result.status === 503) && result.retryAfterSeconds !== undefined) {
    delayMs = Math.max(delayMs, result.retryAfterSeconds * 1000);
  }
  return { outcome: 'retry', delayMs };
}

/** Retry-After as seconds: a number of seconds or an HTTP date. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}
