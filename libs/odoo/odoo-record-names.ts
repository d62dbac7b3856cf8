import { Logger } from 'pino';
import { Pool } from 'pg';

/** How long a looked-up name is trusted: Odoo names change rarely, and a stale one is harmless. */
const NAME_TTL_MS = 5 * 60_000;
const MAX_CACHED = 50_000;

/** Where Odoo's own metadata is missing (a trimmed database), the usual targets by field name. */
const CONVENTIONS: Record<string, string> = {
  partner_id: 'res.partner',
  partner_invoice_id: 'res.partner',
  partner_shipping_id: 'res.partner',
  commercial_partner_id: 'res.partner',
  parent_id: 'res.partner',
  user_id: 'res.users',
  create_uid: 'res.users',
  write_uid: 'res.users',
  company_id: 'res.company',
  currency_id: 'res.currency',
  country_id: 'res.country',
  stage_id: 'crm.stage',
  team_id: 'crm.team',
};

/**
 * Names of Odoo records, read (read-only, cached) from the Odoo database: for the feed's
 * user_name and for many2one values in webhooks (the target model from `ir_model_fields`, the
 * name from the target's table; res.users: its partner's name; translated names: en_US).
 */
export class OdooRecordNames {
  private relations?: Promise<Map<string, string>>;
  private readonly names = new Map<string, { name: string | null; at: number }>();
  private warned = false;

  constructor(
    private readonly pool: Pool,
    private readonly logger: Logger,
  ) {}

  /** Looks up every reference in these values, so that `nameOf` answers from memory. */
  async resolve(model: string, values: Array<Record<string, unknown>>): Promise<void> {
    const relations = await this.relationsOf();
    const wanted = new Map<string, Set<number>>();
    for (const record of values) {
      for (const [field, value] of Object.entries(record)) {
        const target = relations.get(`${model}.${field}`) ?? CONVENTIONS[field];
        if (!target || typeof value !== 'number' || this.known(target, value)) continue;
        if (!wanted.has(target)) wanted.set(target, new Set());
        wanted.get(target)?.add(value);
      }
    }
    for (const [target, ids] of wanted) await this.load(target, [...ids]);
  }

  /** Names of records of one model (`res.users`: the user's partner name); unknown ids absent. */
  async namesOf(target: string, ids: number[]): Promise<Map<number, string>> {
    const missing = [...new Set(ids)].filter((id) => !this.known(target, id));
    if (missing.length > 0) await this.load(target, missing);
    const names = new Map<number, string>();
    for (const id of ids) {
      const name = this.names.get(`${target}#${id}`)?.name;
      if (name) names.set(id, name);
    }
    return names;
  }

  nameOf(model: string, field: string, id: number): string | null {
    const target = this.relationsNow?.get(`${model}.${field}`) ?? CONVENTIONS[field];
    return target ? (this.names.get(`${target}#${id}`)?.name ?? null) : null;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private relationsNow?: Map<string, string>;

  private relationsOf(): Promise<Map<string, string>> {
    this.relations ??= this.pool
      .query<{ model: string; name: string; relation: string }>(
        `SELECT model, name, relation FROM ir_model_fields WHERE ttype = 'many2one' AND relation IS NOT NULL`,
      )
      .then(
        ({ rows }) => new Map(rows.map((r) => [`${r.model}.${r.name}`, r.relation])),
        () => new Map<string, string>(),
      )
      .then((map) => (this.relationsNow = map));
    return this.relations;
  }

  private known(target: string, id: number): boolean {
    const cached = this.names.get(`${target}#${id}`);
    return cached !== undefined && Date.now() - cached.at < NAME_TTL_MS;
  }

  private async load(target: string, ids: number[]): Promise<void> {
    const table = target.replace(/\./g, '_');
    if (!/^[a-z_][a-z0-9_]*$/.test(table)) return;
    const sql =
      target === 'res.users'
        ? `SELECT u.id, p.name::text AS name FROM res_users u JOIN res_partner p ON p.id = u.partner_id WHERE u.id = ANY($1::int[])`
        : `SELECT id, name::text AS name FROM ${table} WHERE id = ANY($1::int[])`;
    try {
      const { rows } = await this.pool.query<{ id: number; name: string | null }>(sql, [ids]);
      if (this.names.size > MAX_CACHED) this.names.clear();
      const now = Date.now();
      for (const id of ids) this.names.set(`${target}#${id}`, { name: null, at: now });
      for (const row of rows)
        this.names.set(`${target}#${row.id}`, { name: readable(row.name), at: now });
    } catch (error) {
      if (!this.warned) {
        this.warned = true;
        this.logger.warn(
          { err: error, model: target },
          'cannot read record names from Odoo; many2one names stay null',
        );
      }
    }
  }
}

/** Odoo 17 keeps translatable names as jsonb: {"en_US": "Won"}. */
function readable(name: string | null): string | null {
  if (name === null || !name.startsWith('{')) return name;
  try {
    const translations = JSON.parse(name) as Record<string, string>;
    return translations.en_US ?? Object.values(translations)[0] ?? null;
  } catch {
    return name;
  }
}
