import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@odoo-stream/config';
import { csrfRefusal, SESSION_SECONDS, sessionCookie, SessionRequest } from './session-rules';

const hashOf = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/**
 * Dashboard sessions: an admin key exchanged for a random token in an http-only, same-site
 * cookie. Only the token's hash is stored (`dashboard_session`), with the key's name and the
 * session's end; signing out deletes the row, and removing the key from ADMIN_API_KEYS ends its
 * sessions.
 */
@Injectable()
export class DashboardSessions {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async open(keyName: string): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + SESSION_SECONDS * 1000);
    await this.dataSource.query(`DELETE FROM dashboard_session WHERE expires_at < now()`);
    await this.dataSource.query(
      `INSERT INTO dashboard_session (token_sha256, key_name, expires_at) VALUES ($1, $2, $3)`,
      [hashOf(token), keyName, expiresAt],
    );
    return { token, expiresAt };
  }

  /** The key name of a live session, with its end; a 401 saying why otherwise. */
  async verify(token: string): Promise<{ keyName: string; expiresAt: Date }> {
    const [row]: Array<{ key_name: string; expires_at: Date }> = await this.dataSource.query(
      `SELECT key_name, expires_at FROM dashboard_session
       WHERE token_sha256 = $1 AND expires_at > now()`,
      [hashOf(token)],
    );
    if (!row) {
      throw new UnauthorizedException(
        'the session has ended (expired or signed out): sign in again',
      );
    }
    if (!this.config.auth.adminKeys.some((k) => k.name === row.key_name)) {
      throw new UnauthorizedException(
        `admin key ${row.key_name} is no longer configured: sign in again`,
      );
    }
    return { keyName: row.key_name, expiresAt: row.expires_at };
  }

  async close(token: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM dashboard_session WHERE token_sha256 = $1`, [
      hashOf(token),
    ]);
  }

  /**
   * The principal of a request signed in through the dashboard, or undefined when it has no
   * session cookie. A request that changes something must also carry the dashboard's header.
   */
  async principalOf(request: SessionRequest): Promise<string | undefined> {
    const token = sessionCookie(request);
    if (!token) return undefined;
    const refusal = csrfRefusal(request);
    if (refusal) throw new UnauthorizedException(refusal);
    return `session:${(await this.verify(token)).keyName}`;
  }
}
