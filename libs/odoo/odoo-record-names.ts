import { Logger } from 'pino';
import { Pool } from 'pg';
import { OdooField } from './addon-payload';
import { displayNameRule, DisplayNameRule, SchemaFacts, tableOf } from './display-name-rules';

/** How long a looked-up name is trusted: Odoo names change rarely, and a stale one is harmless. */
const NAME_TTL_MS = 5 * 60_000;
/** Field metadata and table shapes change only when a module is installed or upgraded. */
const SCHEMA_TTL_MS = 5 * 60_000;
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
 * Odoo's metadata and record names, read (read-only, cached) from the Odoo database: the stored
 * fields of a model (`ir_model_fields`), display names as Odoo 17 computes them, and the records
 * an x2many field holds.
 */
export class OdooRecordNames {
  private readonly names = new Map<string, { name: string | null; at: number }>();
  private readonly fields = new Map<string, { fields: Map<string, OdooField>; at: number }>();
  private schema?: { facts: SchemaFacts; at: number };
  private readonly rules = new Map<string, DisplayNameRule | null>();
  private warned = false;
  private toldMissing = false;

  constructor(
    private readonly pool: Pool,
    private readonly logger: Logger,
  ) {}

  /**
   * The model's stored fields from `ir_model_fields`; empty where Odoo's metadata is not there.
   * Computed fields that are not stored are left out, as the add-on leaves them out.
   */
  async fieldsOf(model: string): Promise<Map<string, OdooField>> {
    const cached = this.fields.get(model);
    if (cached && Date.now() - cached.at < SCHEMA_TTL_MS) return cached.fields;
    const fields = new Map<string, OdooField>();
    try {
      const { rows } = await this.pool.query<Record<string, unknown>>(
        `SELECT * FROM ir_model_fields WHERE model = $1 AND store ORDER BY id`,
        [model],
      );
      for (const r of rows) {
        fields.set(r.name as string, {
          name: r.name as string,
          ttype: r.ttype as string,
          relation: (r.relation as string | null) || null,
          translate: r.translate === true,
          relationField: (r.relation_field as string | null) || null,
          relationTable: (r.relation_table as string | null) || null,
          column1: (r.column1 as string | null) || null,
          column2: (r.column2 as string | null) || null,
        });
      }
    } catch (error) {
      this.warnOnce(error, model);
    }
    this.fields.set(model, { fields, at: Date.now() });
    return fields;
  }

  /**
   * The many2one columns among these fields and their target models: Odoo's metadata, else (a
   * database without it) the usual targets by field name.
   */
  async many2oneTargets(model: string, fields: Iterable<string>): Promise<Map<string, string>> {
    const meta = await this.fieldsOf(model);
    const targets = new Map<string, string>();
    for (const field of fields) {
      const target =
        meta.size > 0
          ? meta.get(field)?.ttype === 'many2one'
            ? meta.get(field)?.relation
            : undefined
          : CONVENTIONS[field];
      if (target) targets.set(field, target);
    }
    return targets;
  }

  /** Loads the names every many2one value of these records points at; their targets by field. */
  async resolve(
    model: string,
    values: Array<Record<string, unknown>>,
  ): Promise<Map<string, string>> {
    const targets = await this.many2oneTargets(model, new Set(values.flatMap(Object.keys)));
    const wanted = new Map<string, number[]>();
    for (const record of values) {
      for (const [field, target] of targets) {
        const id = record[field];
        if (typeof id !== 'number') continue;
        if (!wanted.has(target)) wanted.set(target, []);
        wanted.get(target)?.push(id);
      }
    }
    for (const [target, ids] of wanted) await this.namesOf(target, ids);
    return targets;
  }

  /** Display names of records of one model; unknown ids absent. `fresh` skips the cache. */
  async namesOf(target: string, ids: number[], fresh = false): Promise<Map<number, string>> {
    const missing = [...new Set(ids)].filter((id) => fresh || !this.known(target, id));
    if (missing.length > 0) await this.load(target, missing);
    const names = new Map<number, string>();
    for (const id of ids) {
      const name = this.names.get(`${target}#${id}`)?.name;
      if (name !== null && name !== undefined) names.set(id, name);
    }
    return names;
  }

  /** A name already loaded (by `namesOf`), from memory. */
  nameOf(target: string, id: number): string | undefined {
    return this.names.get(`${target}#${id}`)?.name ?? undefined;
  }

  /**
   * The records an x2many field of these records holds, in id order, at most `limit` each;
   * undefined when they cannot be read (the field is then left out).
   */
  /**
   * The ids each record holds in each x2many field (at most `limit`, in the field's order), by
   * field name: one statement for every field (a batch needed one round trip per field before,
   * thirty and more for a partner). A field whose table cannot be read is left out and logged
   * once; when the statement fails, the fields are read one by one so the others still come.
   */
  async relatedOf(
    model: string,
    fields: OdooField[],
    recordIds: number[],
    limit: number,
  ): Promise<Map<string, Map<number, number[]>>> {
    const parts: Array<{ field: OdooField; query: string }> = [];
    for (const field of fields) {
      const query = await this.relatedQuery(model, field);
      if (query) parts.push({ field, query });
    }
    const related = new Map<string, Map<number, number[]>>();
    if (parts.length === 0) return related;
    try {
      const rows = await this.relatedRows(parts, recordIds, limit);
      for (const { field } of parts) {
        related.set(field.name, new Map(recordIds.map((id) => [id, []])));
      }
      for (const row of rows) {
        related.get(parts[row.part].field.name)?.get(Number(row.owner))?.push(Number(row.id));
      }
    } catch {
      for (const part of parts) {
        try {
          const rows = await this.relatedRows([part], recordIds, limit);
          const byRecord = new Map<number, number[]>(recordIds.map((id) => [id, []]));
          for (const row of rows) byRecord.get(Number(row.owner))?.push(Number(row.id));
          related.set(part.field.name, byRecord);
        } catch (error) {
          this.warnOnce(error, model);
        }
      }
    }
    return related;
  }

  private async relatedRows(
    parts: Array<{ query: string }>,
    recordIds: number[],
    limit: number,
  ): Promise<Array<{ part: number; owner: number; id: number }>> {
    const pairs = parts
      .map(
        ({ query }, i) =>
          `SELECT ${i} AS part, owner, id, ord::numeric AS ord FROM (${query}) p${i}`,
      )
      .join(' UNION ALL ');
    const { rows } = await this.pool.query<{ part: number; owner: number; id: number }>(
      `SELECT part, owner, id FROM (
         SELECT part, owner, id, row_number() OVER (PARTITION BY part, owner ORDER BY ord, id) AS n
         FROM (${pairs}) pairs) ranked
       WHERE n <= $2 ORDER BY part, owner, n`,
      [recordIds, limit],
    );
    return rows;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** `owner, id, ord` pairs of an x2many field for `owner = ANY($1)`. */
  private async relatedQuery(model: string, field: OdooField): Promise<string | undefined> {
    const safe = (name: string | null): name is string => !!name && /^[a-z_][a-z0-9_]*$/.test(name);
    const facts = await this.schemaFacts();
    if (field.ttype === 'many2many') {
      const { relationTable: table, column1, column2 } = field;
      if (!safe(table) || !safe(column1) || !safe(column2) || !facts.hasTable(table)) return;
      return `SELECT ${column1} AS owner, ${column2} AS id, 0 AS ord FROM ${table} WHERE ${column1} = ANY($1::int[])`;
    }
    const target = field.relation ? tableOf(field.relation) : null;
    if (!safe(target) || !safe(field.relationField) || !facts.hasTable(target)) return;
    const columns = facts.columnsOf(target);
    if (!columns.has(field.relationField)) return;
    // Generic records (messages, activities, ratings) point at any model: keep this model's.
    let sameModel = '';
    if (field.relationField === 'res_id') {
      const modelColumn = ['model', 'res_model'].find((c) => columns.has(c));
      if (!modelColumn) return;
      sameModel = ` AND ${modelColumn} = '${model.replace(/'/g, "''")}'`;
    }
    const ord = columns.has('sequence') ? 'sequence' : '0';
    return `SELECT ${field.relationField} AS owner, id, ${ord} AS ord FROM ${target}
            WHERE ${field.relationField} = ANY($1::int[])${sameModel}`;
  }

  private async schemaFacts(): Promise<SchemaFacts> {
    if (this.schema && Date.now() - this.schema.at < SCHEMA_TTL_MS) return this.schema.facts;
    const columns = new Map<string, Map<string, string>>();
    try {
      const { rows } = await this.pool.query<{ table: string; column: string; type: string }>(
        `SELECT table_name AS table, column_name AS column, data_type AS type
           FROM information_schema.columns WHERE table_schema = current_schema()`,
      );
      for (const row of rows) {
        if (!columns.has(row.table)) columns.set(row.table, new Map());
        columns.get(row.table)?.set(row.column, row.type);
      }
    } catch (error) {
      this.warnOnce(error, 'information_schema');
    }
    const facts: SchemaFacts = {
      hasTable: (table) => columns.has(table),
      columnsOf: (table) => columns.get(table) ?? new Map(),
    };
    this.schema = { facts, at: Date.now() };
    this.rules.clear();
    return facts;
  }

  private known(target: string, id: number): boolean {
    const cached = this.names.get(`${target}#${id}`);
    return cached !== undefined && Date.now() - cached.at < NAME_TTL_MS;
  }

  private async load(target: string, ids: number[]): Promise<void> {
    const facts = await this.schemaFacts();
    if (!this.rules.has(target)) this.rules.set(target, displayNameRule(target, facts));
    const rule = this.rules.get(target);
    if (!rule) return;
    try {
      const { rows } = await this.pool.query<Record<string, unknown>>(rule.sql, [ids]);
      if (this.names.size > MAX_CACHED) this.names.clear();
      const now = Date.now();
      for (const id of ids) this.names.set(`${target}#${id}`, { name: null, at: now });
      for (const row of rows) {
        this.names.set(`${target}#${row.id}`, { name: rule.format(row), at: now });
      }
    } catch (error) {
      this.warnOnce(error, target);
    }
  }

  private warnOnce(error: unknown, model: string): void {
    // A database without Odoo's tables (the demo's trimmed one): expected, said once, no stack.
    if ((error as { code?: string }).code === '42P01') {
      if (this.toldMissing) return;
      this.toldMissing = true;
      this.logger.info(
        `the Odoo database lacks ${(error as Error).message.replace(/^relation "(.*)" does not exist$/, '$1')}: payloads keep the values the database has, names stay empty where it has none`,
      );
      return;
    }
    if (this.warned) return;
    this.warned = true;
    this.logger.warn(
      { err: error, model },
      'cannot read Odoo metadata or record names; payload names stay empty where they are missing',
    );
  }
}
