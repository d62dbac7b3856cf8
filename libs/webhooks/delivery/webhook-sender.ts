import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
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
 * Connections kept alive between requests to one origin. Node's http client rather than fetch:
 * fetch costs about three times the CPU per request (its web streams and abort plumbing), and
 * one dispatcher sends thousands a second.
 */
const agents = {
  'http:': new HttpAgent({ keepAlive: true, maxSockets: 256 }),
  'https:': new HttpsAgent({ keepAlive: true, maxSockets: 256 }),
};

/**
 * One POST: redirects are not followed (a 3xx is an answer, not success), the subscriber's
 * timeout bounds the whole exchange, and the endpoint is checked again against the SSRF guard.
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
    const response = await post(
      subscriber.endpoint_url,
      body,
      {
        'Content-Type': 'application/json',
        'User-Agent': 'odoo-stream',
        ...authHeaders(subscriber),
        ...headers,
      },
      subscriber.timeout_ms,
    );
    const ok = response.status >= 200 && response.status < 300;
    return {
      status: response.status,
      retryAfterSeconds: parseRetryAfter(response.retryAfter ?? null),
      durationMs: elapsed(),
      excerpt: response.excerpt,
      errorClass: ok ? undefined : 'http',
      errorMessage: ok ? undefined : `the endpoint answered ${response.status}`,
    };
  } catch (error) {
    return { durationMs: elapsed(), ...describeFailure(error) };
  }
}

/** The answer's status, Retry-After and first bytes; the rest of the body is read and dropped. */
function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<{ status: number; retryAfter?: string; excerpt: string }> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      target,
      {
        method: 'POST',
        agent: agents[target.protocol as keyof typeof agents],
        headers: { ...headers, 'Content-Length': Buffer.byteLength(body) },
        signal: AbortSignal.timeout(timeoutMs),
      },
      (response) => {
        const kept: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < EXCERPT_BYTES) kept.push(chunk);
          size += chunk.length;
        });
        response.on('error', reject);
        response.on('end', () => {
          const retryAfter = response.headers['retry-after'];
          resolve({
            status: response.statusCode ?? 0,
            retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
            excerpt: Buffer.concat(kept).subarray(0, EXCERPT_BYTES).toString('utf8'),
          });
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** What went wrong, in plain words, from fetch's error and its cause. */
export function describeFailure(error: unknown): { errorClass: string; errorMessage: string } {
  const e = error as Error & { code?: string; cause?: { code?: string; message?: string } };
  const code = e.cause?.code ?? e.code ?? '';
  if (e.name === 'TimeoutError' || e.name === 'AbortError') {
    return { errorClass: 'timeout', errorMessage: 'no answer within the timeout' };
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return { errorClass: 'dns', errorMessage: `the host name does not resolve (${code})` };
  }
  if (code === 'ECONNREFUSED') {
    return { errorClass: 'refused', errorMessage: 'the connection was refused' };
  }
  const detail = e.cause?.message ?? e.message;
  if (/CERT|SSL|TLS|SIGNATURE/i.test(code) || /certificate|TLS/i.test(detail)) {
    return { errorClass: 'tls', errorMessage: `TLS failed: ${detail || code}` };
  }
  return {
    errorClass: 'network',
    errorMessage: `${detail}${code ? ` (${code})` : ''}`,
  };
}
