import { Domain } from '@odoo-stream/webhooks';

export type FieldType =
  'integer' | 'char' | 'text' | 'selection' | 'boolean' | 'datetime' | 'json' | 'many2one';

/** One field of a served model: its column (SQL) and its Odoo type. */
export interface ServedField {
  column: string;
  type: FieldType;
  /** many2one: the SQL of the target's display name (`false` when absent). */
  nameColumn?: string;
}

/** A domain that names a field the model does not have, or compares in a way SQL cannot. */
export class UnsupportedDomain extends Error {
  override name = 'UnsupportedDomain';
}

/**
 * An Odoo domain as a SQL condition over the model's columns, with its parameters numbered from
 * `firstParam`. Odoo's semantics: `= False` matches empty values (NULL, and false for booleans),
 * `in` with False matches empty ones too, `like`/`ilike` wrap the value in `%`.
 */
export function domainToSql(
  domain: Domain,
  fields: Record<string, ServedField>,
  firstParam = 1,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${firstParam + params.length - 1}`;
  };
  const walk = (d: Domain): string => {
    switch (d.kind) {
      case 'true':
        return 'TRUE';
      case 'and':
        return `(${walk(d.left)} AND ${walk(d.right)})`;
      case 'or':
        return `(${walk(d.left)} OR ${walk(d.right)})`;
      case 'not':
        return `(NOT COALESCE(${walk(d.operand)}, FALSE))`;
      case 'term': {
        const field = fields[d.field];
        if (!field) throw new UnsupportedDomain(`Invalid field '${d.field}' in leaf`);
        const column = field.column;
        const empty =
          field.type === 'boolean'
            ? `(${column} IS NULL OR ${column} = FALSE)`
            : `${column} IS NULL`;
        const isEmpty = (v: unknown) => v === false || v === null;
        const value = (v: unknown) => param(field.type === 'boolean' ? v === true : v);
        // Odoo: `= False` is "not set", also for a boolean that is false.
        const meansEmpty = isEmpty(d.value) || (field.type === 'boolean' && d.value !== true);
        switch (d.operator) {
          case '=':
            return meansEmpty ? empty : `${column} = ${value(d.value)}`;
          case '!=':
            return meansEmpty
              ? `(NOT ${empty})`
              : `(${column} IS NULL OR ${column} <> ${value(d.value)})`;
          case '>':
          case '>=':
          case '<':
          case '<=':
            return `${column} ${d.operator} ${value(d.value)}`;
          case 'in':
          case 'not in': {
            const list = d.value as unknown[];
            const present = list.filter((v) => !isEmpty(v));
            const parts = [present.length > 0 ? `${column} = ANY(${param(present)})` : 'FALSE'];
            if (present.length < list.length) parts.push(empty);
            const any = `(${parts.join(' OR ')})`;
            return d.operator === 'in' ? any : `(NOT COALESCE(${any}, FALSE))`;
          }
          case 'like':
          case 'ilike':
          case '=like':
          case '=ilike': {
            const op = d.operator.endsWith('ilike') ? 'ILIKE' : 'LIKE';
            const pattern = d.operator.startsWith('=') ? String(d.value) : `%${String(d.value)}%`;
            return `${column}::text ${op} ${param(pattern)}`;
          }
        }
      }
    }
  };
  return { sql: walk(domain), params };
}

/** `id desc, model` as SQL over the model's columns; anything else is refused. */
export function orderToSql(order: string, fields: Record<string, ServedField>): string {
  const parts = order
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((part) => {
      const [name, direction = 'asc', ...rest] = part.split(/\s+/);
      const field = fields[name];
      if (!field || rest.length > 0 || !/^(asc|desc)$/i.test(direction)) {
        throw new UnsupportedDomain(`Invalid "order" specified (${part})`);
      }
      return `${field.column} ${direction.toUpperCase()}`;
    });
  return parts.join(', ');
}
