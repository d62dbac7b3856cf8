import { domainFromJson } from '@odoo-stream/webhooks';
import { domainToSql, orderToSql, ServedField, UnsupportedDomain } from './domain-sql';

const fields: Record<string, ServedField> = {
  id: { column: 'id', type: 'integer' },
  model: { column: 'model', type: 'char' },
  is_archived: { column: 'is_archived', type: 'boolean' },
  user_id: { column: 'user_id', type: 'many2one' },
};

const sql = (domain: unknown) => domainToSql(domainFromJson(domain), fields);

describe('Odoo domains as SQL', () => {
  it('joins terms with AND, honours prefix | and !, numbers its parameters', () => {
    expect(sql([['id', '>', 5], '|', ['model', '=', 'a'], '!', ['model', 'ilike', 'b']])).toEqual({
      sql: '(id > $1 AND (model = $2 OR (NOT COALESCE(model::text ILIKE $3, FALSE))))',
      params: [5, 'a', '%b%'],
    });
  });

  it('reads = False as "not set", also for a boolean that is false', () => {
    expect(sql([['is_archived', '=', false]]).sql).toBe(
      '(is_archived IS NULL OR is_archived = FALSE)',
    );
    expect(sql([['user_id', '=', false]]).sql).toBe('user_id IS NULL');
    expect(sql([['user_id', '!=', false]]).sql).toBe('(NOT user_id IS NULL)');
    expect(sql([['is_archived', '=', true]])).toEqual({ sql: 'is_archived = $1', params: [true] });
  });

  it('takes in / not in lists, False in them meaning "not set"', () => {
    expect(sql([['model', 'in', ['a', 'b']]])).toEqual({
      sql: '(model = ANY($1))',
      params: [['a', 'b']],
    });
    expect(sql([['user_id', 'in', [3, false]]]).sql).toBe('(user_id = ANY($1) OR user_id IS NULL)');
    expect(sql([['model', 'not in', []]]).sql).toBe('(NOT COALESCE((FALSE), FALSE))');
  });

  it('refuses a field the model does not have, as Odoo does', () => {
    expect(() => sql([['status', '=', 'dead']])).toThrow(
      new UnsupportedDomain("Invalid field 'status' in leaf"),
    );
  });

  it('orders by known fields only', () => {
    expect(orderToSql('id desc, model', fields)).toBe('id DESC, model ASC');
    expect(() => orderToSql('id; DROP TABLE x', fields)).toThrow(UnsupportedDomain);
  });
});
