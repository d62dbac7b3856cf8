import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export interface ApiKeyHash {
  name: string;
  sha256: string;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** A new key (`osk_` + 32 random bytes, base64url) and the line API_KEYS takes for it. */
export function newApiKey(name: string): { key: string; entry: string } {
  const key = `osk_${randomBytes(32).toString('base64url')}`;
  return { key, entry: `${name}:${hashApiKey(key)}` };
}

/**
 * The name of the configured key this is, or undefined. Every configured hash is compared, in
 * constant time, so the answer's timing says nothing about which one came close.
 */
export function matchApiKey(key: string, keys: ApiKeyHash[]): string | undefined {
  const presented = Buffer.from(hashApiKey(key), 'hex');
  let match: string | undefined;
  for (const candidate of keys) {
    if (timingSafeEqual(presented, Buffer.from(candidate.sha256, 'hex'))) match ??= candidate.name;
  }
  return match;
}
