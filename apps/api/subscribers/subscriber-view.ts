import { SubscriberRecord } from '@odoo-stream/db';
import { rotationEndsAt } from '@odoo-stream/webhooks';

/** `whsec_ab…wxyz`: enough to tell secrets apart, not to sign with. */
export function maskSecret(secret: string): string {
  return `${secret.slice(0, 8)}…${secret.slice(-4)}`;
}

/** A subscriber as the api shows it: credentials never, the signing secret masked (or, once, whole). */
export function subscriberView(
  s: SubscriberRecord,
  rotationOverlapMs: number,
  revealSecret = false,
) {
  const rotationEnds = rotationEndsAt(s, rotationOverlapMs);
  return {
    id: s.id,
    name: s.name,
    endpoint_url: s.endpoint_url,
    enabled: s.enabled,
    disabled_reason: s.disabled_reason,
    auth_type: s.auth_type,
    username: s.auth_type === 'basic' ? s.auth_username : undefined,
    api_key_header: s.auth_type === 'api_key' ? s.api_key_header : undefined,
    has_credentials: s.auth_secret !== null,
    custom_headers: Object.keys(s.custom_headers),
    secret: revealSecret ? s.secret : maskSecret(s.secret),
    rotating: rotationEnds !== null && Date.now() < rotationEnds.getTime(),
    rotation_ends_at: rotationEnds,
    signature_header: s.signature_header,
    preset: s.preset,
    timeout_ms: s.timeout_ms,
    rate_limit: s.rate_limit_per_minute,
    retry_schedule: s.retry_schedule,
    ordered: s.ordered,
    max_concurrency: s.max_concurrency,
    batch_size: s.batch_size,
    batch_timeout_ms: s.batch_timeout_ms,
    failing_since: s.failing_since,
    created_at: s.created_at,
    updated_at: s.updated_at,
    subscriptions: s.subscriptions,
  };
}
