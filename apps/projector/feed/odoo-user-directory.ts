import { Logger } from 'pino';
import { Pool } from 'pg';

/** Names of Odoo users (res.users -> res.partner.name), for the feed's user_name. */
export interface UserDirectory {
  /** Names of the given user ids; an id it cannot name is absent. */
  names(ids: number[]): Promise<Map<number, string>>;
  close(): Promise<void>;
}

/**
 * Reads user names from the Odoo database (read-only, one small query per unseen user) and keeps
 * them: user names are not tracked models, and a name change is rare enough that the name at the
 * time the row was first projected is what the feed shows.
 */
export class OdooUserDirectory implements UserDirectory {
  private readonly cache = new Map<number, string | null>();
  private warned = false;

  constructor(
    private readonly pool: Pool,
    private readonly logger: Logger,
  ) {}

  async names(ids: number[]): Promise<Map<number, string>> {
    const unseen = [...new Set(ids)].filter((id) => !this.cache.has(id));
    if (unseen.length > 0) {
      try {
        const { rows } = await this.pool.query<{ id: number; name: string }>(
          `SELECT u.id, p.name FROM res_users u JOIN res_partner p ON p.id = u.partner_id
           WHERE u.id = ANY($1::int[])`,
          [unseen],
        );
        for (const id of unseen) this.cache.set(id, null);
        for (const row of rows) this.cache.set(row.id, row.name);
      } catch (error) {
        if (!this.warned) {
          this.logger.warn(
            { err: error },
            'cannot read Odoo user names; the feed shows user_name null until it can',
          );
          this.warned = true;
        }
      }
    }
    const names = new Map<number, string>();
    for (const id of ids) {
      const name = this.cache.get(id);
      if (name) names.set(id, name);
    }
    return names;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Without ODOO_DATABASE_URL the projector names no one. */
export class NoUserDirectory implements UserDirectory {
  async names(): Promise<Map<number, string>> {
    return new Map();
  }

  async close(): Promise<void> {}
}
