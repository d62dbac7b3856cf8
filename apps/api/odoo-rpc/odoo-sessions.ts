import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '@odoo-stream/config';

/** How long Odoo's answer about a session is trusted. */
const CONFIRMED_FOR_MS = 60_000;

/**
 * Asks the real Odoo (ODOO_URL) whether a caller's session cookie is a logged-in session, as
 * Odoo's own `/web/session/get_session_info` answers; remembered a minute, by a hash.
 */
@Injectable()
export class OdooSessions {
  private readonly confirmed = new Map<string, { uid: number | null; at: number }>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** The Odoo user id the session belongs to; null when Odoo does not know it (or is off). */
  async userOf(cookie: string | undefined): Promise<number | null> {
    const session = /(?:^|;\s*)session_id=([^;]+)/.exec(cookie ?? '')?.[1];
    if (!session || !this.config.odooUrl) return null;
    const key = createHash('sha256').update(session).digest('hex');
    const known = this.confirmed.get(key);
    if (known && Date.now() - known.at < CONFIRMED_FOR_MS) return known.uid;
    const response = await fetch(`${this.config.odooUrl}/web/session/get_session_info`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: `session_id=${session}` },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: {}, id: 1 }),
      signal: AbortSignal.timeout(10_000),
    });
    const answer = (await response.json().catch(() => ({}))) as { result?: { uid?: unknown } };
    const uid = Number.isSafeInteger(answer.result?.uid) ? (answer.result!.uid as number) : null;
    if (this.confirmed.size > 10_000) this.confirmed.clear();
    this.confirmed.set(key, { uid, at: Date.now() });
    return uid;
  }
}
