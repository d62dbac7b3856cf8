import { SubscriberRecord } from '@odoo-stream/db';
import { checkEndpoint, EndpointRefused } from '../endpoint/endpoint-guard';
import { parseRetryAfter } from './retry-schedule';

export interface SendResult {
  status?: number;
  retryAfterSeconds?: number;
  durationMs: number;
  /** The first 2 KB of the answer. */
  excerpt?: string;
  /** dns, refused, tls, timeout, network, ssrf, http (a non-2xx answer). */
  errorClass?: string;
  errorMessage?: string;
}

const EXCERPT_BYTES = 2048;

/** Headers that carry the subscriber's credentials and its own extra headers. */
export function authHeaders(s: SubscriberRecord): Record<string, string> {
  const headers: Record<string, string> = { ...s.custom_headers };
  if (s.auth_type === 'bearer' && s.auth_secret) headers.Authorization = `Bearer ${s.auth_secret}`;
  if (s.auth_type === 'basic') {
    const pair = `${s.auth_username ?? ''}:${s.auth_secret ?? ''}`;
    headers.Authorization = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
  }
  if (s.auth_type === 'api_key' && s.auth_secret) headers[s.api_key_header] = s.auth_secret;
  return headers;
}

/**
 * One POST: redirects are not followed (a 3xx is an answer, not success), the subscriber's
 * timeout bounds the whole exchange, and the endpoint is checked again against the SSRF guard.
 * Node's fetch keeps connections alive between requests to one origin.
 */
export async function sendWebhook(
  subscriber: SubscriberRecord,
  body: string,
  headers: Record<string, string>,
  allowPrivate: boolean,
): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    await checkEndpoint(subscriber.endpoint_url, { allowPrivate });
  } catch (error) {
    if (error instanceof EndpointRefused) {
      return { durationMs: 0, errorClass: 'ssrf', errorMessage: error.message };
    }
    return { durationMs: elapsed(), errorClass: 'dns', errorMessage: (error as Error).message };
  }
  try {
    const response = await fetch(subscriber.endpoint_url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(subscriber.timeout_ms),
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'odoo-stream',
        ...authHeaders(subscriber),
        ...headers,
      },
      body,
    });
    const text = await response.text();
    const ok = response.status >= 200 && response.status < 300;
    return {
      status: response.status,
      retryAfterSeconds: parseRetryAfter(response.headers.get('retry-after')),
      durationMs: elapsed(),
      excerpt: Buffer.from(text).subarray(0, EXCERPT_BYTES).toString('utf8'),
      errorClass: ok ? undefined : 'http',
      errorMessage: ok ? undefined : `the endpoint answered ${response.status}`,
    };
  } catch (error) {
    return { durationMs: elapsed(), ...describeFailure(error) };
  }
}

/** What went wrong, in plain words, from fetch's error and its cause. */
export function describeFailure(error: unknown): { errorClass: string; errorMessage: string } {
  const e = error as Error & { cause?: { code?: string; message?: string } };
  const code = e.cause?.code ?? '';
  if (e.name === 'TimeoutError' || e.name === 'AbortError') {
    return { errorClass: 'timeout', errorMessage: 'no answer within the timeout' };
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return { errorClass: 'dns', errorMessage: `the host name does not resolve (${code})` };
  }
  if (code === 'ECONNREFUSED') {
    return { errorClass: 'refused', errorMessage: 'the connection was refused' };
  }
  if (/CERT|SSL|TLS/i.test(code) || /certificate|TLS/i.test(e.cause?.message ?? '')) {
    return { errorClass: 'tls', errorMessage: `TLS failed: ${e.cause?.message ?? code}` };
  }
  return {
    errorClass: 'network',
    errorMessage: `${e.cause?.message ?? e.message}${code ? ` (${code})` : ''}`,
  };
}
