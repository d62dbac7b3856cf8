import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { domainFromJson } from '@odoo-stream/webhooks';
import { domainToSql, orderToSql, UnsupportedDomain } from './domain-sql';
import { odooValue, ServedModel } from './addon-models';
import { OdooRpcError } from './rpc-envelope';

/** `search`, `search_read`, `search_count` and `read` on a served model, as Odoo's ORM answers. */
@Injectable()
export class AddonModelReader {
  constructor(private readonly dataSource: DataSource) {}

  async search(
    model: ServedModel,
    domain: unknown,
    options: { offset?: unknown; limit?: unknown; order?: unknown } = {},
  ): Promise<number[]> {
    const { where, params } = this.where(model, domain);
    const rows: Array<{ id: number }> = await this.dataSource.query(
      `SELECT id FROM ${model.table} WHERE ${where} ORDER BY ${this.order(model, options.order)}
       ${this.window(options, params)}`,
      params,
    );
    return rows.map((r) => Number(r.id));
  }

  async searchCount(model: ServedModel, domain: unknown): Promise<number> {
    const { where, params } = this.where(model, domain);
    const [row]: Array<{ n: string }> = await this.dataSource.query(
      `SELECT count(*) AS n FROM ${model.table} WHERE ${where}`,
      params,
    );
    return Number(row.n);
  }

  async searchRead(
    model: ServedModel,
    domain: unknown,
    fields: unknown,
    options: { offset?: unknown; limit?: unknown; order?: unknown } = {},
  ): Promise<Array<Record<string, unknown>>> {
    const names = this.fieldNames(model, fields);
    const { where, params } = this.where(model, domain);
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT ${this.select(model, names)} FROM ${model.table} WHERE ${where}
       ORDER BY ${this.order(model, options.order)} ${this.window(options, params)}`,
      params,
    );
    return rows.map((row) => this.record(model, names, row));
  }

  async read(model: ServedModel, ids: unknown, fields: unknown) {
    const list = Array.isArray(ids) ? ids : [ids];
    if (!list.every((id) => Number.isSafeInteger(id))) {
      throw new OdooRpcError('ValueError', 'read() takes a list of record ids');
    }
    const names = this.fieldNames(model, fields);
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT ${this.select(model, names)} FROM ${model.table} WHERE id = ANY($1::bigint[])`,
      [list],
    );
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    // Odoo answers in the order asked, and a missing id is an error.
    const missing = (list as number[]).filter((id) => !byId.has(id));
    if (missing.length > 0) {
      throw new OdooRpcError(
        'odoo.exceptions.MissingError',
        `Record does not exist or has been deleted. (Records: ${missing.join(', ')})`,
      );
    }
    return (list as number[]).map((id) => this.record(model, names, byId.get(id)!));
  }

  /** `fields_get`: each field's type and label. */
  fieldsGet(model: ServedModel): Record<string, { type: string; string: string }> {
    return Object.fromEntries(
      Object.entries(model.fields).map(([name, field]) => [
        name,
        { type: field.type, string: name.replace(/_/g, ' ') },
      ]),
    );
  }

  private where(model: ServedModel, domain: unknown) {
    try {
      const { sql, params } = domainToSql(domainFromJson(domain ?? []), model.fields);
      return { where: sql, params };
    } catch (error) {
      throw new OdooRpcError('ValueError', (error as Error).message);
    }
  }

  private order(model: ServedModel, order: unknown): string {
    try {
      return orderToSql(
        typeof order === 'string' && order ? order : model.defaultOrder,
        model.fields,
      );
    } catch (error) {
      if (error instanceof UnsupportedDomain) throw new OdooRpcError('ValueError', error.message);
      throw error;
    }
  }

  private window(options: { offset?: unknown; limit?: unknown }, params: unknown[]): string {
    const count = (v: unknown) =>
      Number.isSafeInteger(v) && (v as number) >= 0 ? (v as number) : null;
    const limit = count(options.limit);
    const offset = count(options.offset) ?? 0;
    params.push(limit, offset);
    return `LIMIT $${params.length - 1} OFFSET $${params.length}`;
  }

  private fieldNames(model: ServedModel, fields: unknown): string[] {
    if (fields === undefined || fields === null || (Array.isArray(fields) && fields.length === 0)) {
      return Object.keys(model.fields);
    }
    const list = Array.isArray(fields) ? fields : [fields];
    const unknown = list.filter((f) => typeof f !== 'string' || !(f in model.fields));
    if (unknown.length > 0) {
      throw new OdooRpcError('ValueError', `Invalid field '${String(unknown[0])}' on model`);
    }
    return ['id', ...list.filter((f) => f !== 'id')] as string[];
  }

  private select(model: ServedModel, names: string[]): string {
    return names
      .flatMap((name) => {
        const field = model.fields[name];
        const value = `${field.column} AS "${name}"`;
        return field.nameColumn ? [value, `${field.nameColumn} AS "${name}__name"`] : [value];
      })
      .join(', ');
  }

  private record(model: ServedModel, names: string[], row: Record<string, unknown>) {
    return Object.fromEntries(
      names.map((name) => [name, odooValue(model.fields[name], row[name], row[`${name}__name`])]),
    );
  }
}
