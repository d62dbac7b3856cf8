import { translated } from './addon-payload';

/**
 * How Odoo 17 computes `display_name` for a model, as SQL over its tables plus a formatter of the
 * row. Models with a `_compute_display_name` of their own get their rule; the others follow
 * Odoo's default (`_rec_name`: `complete_name` where the model keeps one, else `name`).
 */
export interface DisplayNameRule {
  /** Selects `id` and the columns `format` reads, for `id = ANY($1::int[])`. */
  sql: string;
  format(row: Record<string, unknown>): string | null;
}

/** What a rule may rely on: the tables that exist and each one's columns with their types. */
export interface SchemaFacts {
  hasTable(table: string): boolean;
  /** Column name to PostgreSQL data type; empty when the table does not exist. */
  columnsOf(table: string): ReadonlyMap<string, string>;
}

export function tableOf(model: string): string {
  return model.replace(/\./g, '_');
}

export function displayNameRule(model: string, schema: SchemaFacts): DisplayNameRule | null {
  const table = tableOf(model);
  if (!/^[a-z_][a-z0-9_]*$/.test(table) || !schema.hasTable(table)) return null;
  const own = OWN_RULES[model]?.(schema);
  if (own) return own;
  const columns = schema.columnsOf(table);
  const jsonb = columns.get('name') === 'jsonb';
  // complete_name is computed by Odoo; rows written around the ORM may lack it.
  const column = columns.has('complete_name')
    ? columns.has('name') && !jsonb
      ? 'COALESCE(complete_name, name)'
      : 'complete_name'
    : columns.has('name')
      ? 'name'
      : null;
  if (!column) {
    return {
      sql: `SELECT id FROM ${table} WHERE id = ANY($1::int[])`,
      format: (r) => `${model},${r.id}`,
    };
  }
  return {
    sql: `SELECT id, ${column}::text AS name FROM ${table} WHERE id = ANY($1::int[])`,
    format: (r) => textOf(r.name, column === 'name' && jsonb),
  };
}

const OWN_RULES: Record<string, (schema: SchemaFacts) => DisplayNameRule | null> = {
  'res.users': (schema) =>
    schema.hasTable('res_partner')
      ? {
          sql: `SELECT u.id, p.name FROM res_users u JOIN res_partner p ON p.id = u.partner_id
                WHERE u.id = ANY($1::int[])`,
          format: (r) => (r.name as string | null) ?? null,
        }
      : null,
  'product.product': (schema) => {
    if (!schema.hasTable('product_template')) return null;
    const variants =
      schema.hasTable('product_variant_combination') &&
      schema.hasTable('product_template_attribute_value') &&
      schema.hasTable('product_attribute_value');
    // The variant's values, leaving out attributes that make no variant and lines of one value.
    const variant = variants
      ? `(SELECT string_agg(pav.name::text, chr(31) ORDER BY line.sequence, line.attribute_id,
                 line.id, pav.sequence, pav.id)
            FROM product_variant_combination c
            JOIN product_template_attribute_value ptav
              ON ptav.id = c.product_template_attribute_value_id
            JOIN product_attribute_value pav ON pav.id = ptav.product_attribute_value_id
            JOIN product_attribute pa ON pa.id = ptav.attribute_id
            JOIN product_template_attribute_line line ON line.id = ptav.attribute_line_id
           WHERE c.product_product_id = p.id AND pa.create_variant <> 'no_variant'
             AND (SELECT count(*) FROM product_template_attribute_value o
                   WHERE o.attribute_line_id = ptav.attribute_line_id AND o.ptav_active) > 1)`
      : 'NULL';
    const jsonb = schema.columnsOf('product_template').get('name') === 'jsonb';
    return {
      sql: `SELECT p.id, p.default_code, t.name::text AS name, ${variant} AS variant
              FROM product_product p JOIN product_template t ON t.id = p.product_tmpl_id
             WHERE p.id = ANY($1::int[])`,
      format: (r) =>
        productDisplayName(
          textOf(r.name, jsonb) ?? '',
          r.default_code as string | null,
          r.variant
            ? String(r.variant)
                .split('\x1f')
                .map((v) => textOf(v, true) ?? v)
            : [],
        ),
    };
  },
  // A payment is named by its journal entry.
  'account.payment': (schema) =>
    schema.hasTable('account_move')
      ? {
          sql: `SELECT p.id, m.name FROM account_payment p JOIN account_move m ON m.id = p.move_id
                WHERE p.id = ANY($1::int[])`,
          format: (r) => (r.name as string | null) ?? '',
        }
      : null,
  'account.move': () => ({
    sql: `SELECT id, name, state, move_type, ref FROM account_move WHERE id = ANY($1::int[])`,
    format: (r) =>
      accountMoveDisplayName({
        id: Number(r.id),
        name: r.name as string | null,
        state: r.state as string | null,
        moveType: r.move_type as string | null,
        ref: r.ref as string | null,
      }),
  }),
  'sale.order.line': (schema) => {
    if (!schema.hasTable('sale_order') || !schema.hasTable('product_template')) return null;
    const jsonb = schema.columnsOf('product_template').get('name') === 'jsonb';
    return {
      sql: `SELECT l.id, o.name AS order_name, l.name, t.name::text AS product_name
              FROM sale_order_line l JOIN sale_order o ON o.id = l.order_id
              LEFT JOIN product_product p ON p.id = l.product_id
              LEFT JOIN product_template t ON t.id = p.product_tmpl_id
             WHERE l.id = ANY($1::int[])`,
      format: (r) => {
        const line = ((r.name as string | null) ?? '').split('\n')[0];
        return `${r.order_name} - ${line || textOf(r.product_name, jsonb) || ''}`;
      },
    };
  },
  'stock.move': (schema) => {
    if (!schema.hasTable('stock_location') || !schema.hasTable('product_product')) return null;
    const picking = schema.hasTable('stock_picking');
    return {
      sql: `SELECT m.id, ${picking ? 'pk.origin' : 'NULL'} AS origin, p.default_code,
                   src.name AS source, dst.name AS destination
              FROM stock_move m
              ${picking ? 'LEFT JOIN stock_picking pk ON pk.id = m.picking_id' : ''}
              LEFT JOIN product_product p ON p.id = m.product_id
              LEFT JOIN stock_location src ON src.id = m.location_id
              LEFT JOIN stock_location dst ON dst.id = m.location_dest_id
             WHERE m.id = ANY($1::int[])`,
      format: (r) =>
        `${r.origin ? `${r.origin}/` : ''}${r.default_code ? `${r.default_code}: ` : ''}` +
        `${r.source ?? ''}>${r.destination ?? ''}`,
    };
  },
};

/** product.product: `[code] Name (Value, Value)`. */
export function productDisplayName(name: string, code: string | null, values: string[]): string {
  const label = values.length > 0 ? `${name} (${values.join(', ')})` : name;
  return code ? `[${code}] ${label}` : label;
}

const DRAFT_LABELS: Record<string, string> = {
  out_invoice: 'Draft Invoice',
  out_refund: 'Draft Credit Note',
  in_invoice: 'Draft Bill',
  in_refund: 'Draft Vendor Credit Note',
  out_receipt: 'Draft Sales Receipt',
  in_receipt: 'Draft Purchase Receipt',
  entry: 'Draft Entry',
};

/** account.move's `_get_move_display_name(show_ref=True)`. */
export function accountMoveDisplayName(move: {
  id: number;
  name: string | null;
  state: string | null;
  moveType: string | null;
  ref: string | null;
}): string {
  let name = '';
  if (move.state === 'draft') name += `${DRAFT_LABELS[move.moveType ?? 'entry'] ?? 'Draft Entry'} `;
  if (!move.name || move.name === '/') name += `(* ${move.id})`;
  else name += move.name;
  return move.ref ? `${name} (${shorten(move.ref, 50)})` : name;
}

/** Python's `textwrap.shorten(text, width)`: whitespace collapsed, cut at a word, ` [...]`. */
export function shorten(text: string, width: number): string {
  const collapsed = text.trim().split(/\s+/).join(' ');
  if (collapsed.length <= width) return collapsed;
  const placeholder = ' [...]';
  let out = '';
  for (const word of collapsed.split(' ')) {
    const next = out ? `${out} ${word}` : word;
    if (next.length + placeholder.length > width) break;
    out = next;
  }
  return out ? `${out}${placeholder}` : placeholder.trim();
}

/** A name column's text; jsonb translations read in English. */
function textOf(value: unknown, jsonb: boolean): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value);
  if (!jsonb) return text;
  try {
    return translated(JSON.parse(text) as Record<string, string>);
  } catch {
    return text;
  }
}
