import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** How long a code may be typed, and how many wrong ones it takes before it is void. */
export const CODE_TTL_MS = 60 * 60 * 1000;
export const MAX_CODE_ATTEMPTS = 5;

/**
 * The code issued by one event. Derived (HMAC of the bot's code secret and the issuing event's
 * key), so a rebuild of the Telegram tables from the log issues the same codes; only its hash is
 * stored, and the sender derives the text it sends.
 */
export function verificationCode(codeSecret: string, issueKey: string): string {
  const digest = createHmac('sha256', codeSecret).update(issueKey).digest();
  return String(digest.readUInt32BE(0) % 1_000_000).padStart(6, '0');
}

export function codeHash(codeSecret: string, code: string): string {
  return createHash('sha256').update(`${codeSecret}:${code}`).digest('hex');
}

export type CodeCheck = 'verified' | 'wrong' | 'expired' | 'exhausted' | 'none';

export interface IssuedCode {
  hash: string | null;
  expiresAt: number | null;
  attempts: number;
}

/** What typing `typed` at `at` does with the user's current code. */
export function checkCode(
  codeSecret: string,
  issued: IssuedCode,
  typed: string,
  at: number,
): CodeCheck {
  if (!issued.hash || issued.expiresAt === null) return 'none';
  if (issued.attempts >= MAX_CODE_ATTEMPTS) return 'exhausted';
  if (at > issued.expiresAt) return 'expired';
  const given = Buffer.from(codeHash(codeSecret, typed), 'hex');
  return timingSafeEqual(given, Buffer.from(issued.hash, 'hex')) ? 'verified' : 'wrong';
}

/** Six digits, spaces allowed (people type `123 456`). */
export function looksLikeCode(text: string): string | null {
  const digits = text.replace(/\s+/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}
