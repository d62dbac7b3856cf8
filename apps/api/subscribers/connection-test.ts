import { randomUUID } from 'node:crypto';
import { SubscriberRecord } from '@odoo-stream/db';
import { WebhooksConfig } from '@odoo-stream/config';
import { sendWebhook, SendResult, signatureHeaders, signingKeysOf } from '@odoo-stream/webhooks';

/** The plain-words reason a test delivery failed, by error class. */
const REASONS: Record<string, string> = {
  dns: 'the host name does not resolve',
  refused: 'the endpoint refused the connection (nothing listens on that port?)',
  tls: 'the TLS handshake failed (certificate?)',
  timeout: 'the endpoint did not answer within the timeout',
  network: 'the connection failed',
  ssrf: 'the endpoint resolves to a non-public address',
};

/** `POST /api/subscribers/{id}/test`: one signed test request, and what came of it. */
export async function testConnection(
  subscriber: SubscriberRecord,
  webhooks: Pick<WebhooksConfig, 'allowPrivateEndpoints' | 'rotationOverlapMs'>,
) {
  const body = JSON.stringify({
    test: true,
    message: 'odoo-stream test delivery',
    timestamp: new Date().toISOString(),
    subscriber: { id: subscriber.id, name: subscriber.name },
  });
  const now = new Date();
  const headers = signatureHeaders(
    signingKeysOf(subscriber, now, webhooks.rotationOverlapMs),
    `msg_test_${randomUUID().replace(/-/g, '')}`,
    body,
    now,
  );
  const result: SendResult = await sendWebhook(
    subscriber,
    body,
    headers,
    webhooks.allowPrivateEndpoints,
  );
  const ok = result.status !== undefined && result.status >= 200 && result.status < 300;
  return {
    success: ok,
    status: result.status ?? null,
    latency_ms: result.durationMs,
    reason: ok
      ? null
      : result.errorClass === 'http'
        ? `the endpoint answered ${result.status}${result.status && result.status >= 300 && result.status < 400 ? ' (a redirect; redirects are not followed)' : ''}`
        : `${REASONS[result.errorClass ?? 'network']}: ${result.errorMessage}`,
    response: result.excerpt ?? null,
  };
}
