import { createHmac, randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

export function newSigningSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

export function isSigningSecret(secret: string): boolean {
  return /^whsec_[A-Za-z0-9+/]{16,}={0,2}$/.test(secret);
}

export interface SigningKeys {
  secret: string;
  /** During a rotation: the previous secret, whose signature is sent as well. */
  previousSecret?: string | null;
  /** Also send `<header>: sha256=<hex HMAC of the body>` (G-Assistant style). */
  plainHeader?: string | null;
}

/**
 * Standard Webhooks headers (`webhook-id`, `webhook-timestamp`, `webhook-signature` with a
 * `v1,<base64>` per secret), signed by the reference library.
 */
export function signatureHeaders(
  keys: SigningKeys,
  webhookId: string,
  body: string,
  at: Date,
): Record<string, string> {
  const signatures = [keys.secret, keys.previousSecret]
    .filter((s): s is string => !!s)
    .map((secret) => new Webhook(secret).sign(webhookId, at, body));
  const headers: Record<string, string> = {
    'webhook-id': webhookId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
  if (keys.plainHeader) {
    const key = Buffer.from(keys.secret.replace(/^whsec_/, ''), 'base64');
    headers[keys.plainHeader] = `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
  }
  return headers;
}
