import { createHmac, randomBytes } from 'node:crypto';

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
  /**
   * Also send `<header>: sha256=<hex HMAC of the body>` (G-Assistant style). That header holds
   * one signature: during a rotation it is made with the previous secret, which the receiver
   * still holds, until the rotation ends.
   */
  plainHeader?: string | null;
}

/** A subscriber's signing settings, as stored. */
export interface SubscriberSigning {
  secret: string;
  previous_secret: string | null;
  rotated_at: Date | null;
  signature_header: string | null;
}

/** When the rotation in progress ends (the previous secret stops signing), or null. */
export function rotationEndsAt(s: SubscriberSigning, overlapMs: number): Date | null {
  if (!s.previous_secret) return null;
  return new Date((s.rotated_at?.getTime() ?? 0) + overlapMs);
}

/**
 * The keys to sign with at `now`: the previous secret as well while the rotation lasts (until
 * the receiver's confirmation cleared it, or the overlap passed).
 */
export function signingKeysOf(s: SubscriberSigning, now: Date, overlapMs: number): SigningKeys {
  const ends = rotationEndsAt(s, overlapMs);
  return {
    secret: s.secret,
    previousSecret: ends && now < ends ? s.previous_secret : null,
    plainHeader: s.signature_header,
  };
}

/**
 * Standard Webhooks headers (`webhook-id`, `webhook-timestamp`, `webhook-signature` with a
 * `v1,<base64>` per secret): the HMAC-SHA256 of `<id>.<timestamp>.<body>` under the secret's
 * base64 bytes, as the reference library signs (its tests verify with it), with node's crypto
 * rather than the library's JavaScript SHA-256 (a dispatcher signs thousands a second).
 */
export function signatureHeaders(
  keys: SigningKeys,
  webhookId: string,
  body: string,
  at: Date,
): Record<string, string> {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const signatures = [keys.secret, keys.previousSecret]
    .filter((s): s is string => !!s)
    .map(
      (secret) =>
        `v1,${createHmac('sha256', secretKey(secret)).update(`${webhookId}.${timestamp}.${body}`).digest('base64')}`,
    );
  const headers: Record<string, string> = {
    'webhook-id': webhookId,
    'webhook-timestamp': timestamp,
    'webhook-signature': signatures.join(' '),
  };
  if (keys.plainHeader) {
    const key = secretKey(keys.previousSecret ?? keys.secret);
    headers[keys.plainHeader] = `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
  }
  return headers;
}

/** The key bytes of a `whsec_<base64>` secret. */
function secretKey(secret: string): Buffer {
  return Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
}
