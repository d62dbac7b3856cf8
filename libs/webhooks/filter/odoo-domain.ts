/**
 * Odoo domains, as subscriptions filter with them: `[('state','=','sale'), ('amount_total','>',1000)]`,
 * with prefix operators `&`, `|`, `!` (Polish notation; terms side by side are joined by `&`).
 * Parsed once at save time (a syntax error names its position), evaluated on the record's values
 * after the change.
 */

export const DOMAIN_OPERATORS = [
  '=',
  '!=',
  '>',
  '>=',
  '<',
  '<=',
  'in',
  'not in',
  'like',
  'ilike',
  '=like',
  '=ilike',
] as const;
export type DomainOperator = (typeof DOMAIN_OPERATORS)[number];
type Literal = string | number | boolean | null | Literal[];

export type Domain =
  | { kind: 'term'; field: string; operator: DomainOperator; value: Literal }
  | { kind: 'and' | 'or'; left: Domain; right: Domain }
  | { kind: 'not'; operand: Domain }
  | { kind: 'true' };

export class DomainSyntaxError extends Error {
  override name = 'DomainSyntaxError';
  constructor(
    readonly reason: string,
    readonly position: number,
  ) {
    super(`${reason} at position ${position}`);
  }
}

export function parseDomain(text: string): Domain {
  const reader = new LiteralReader(text);
  const start = reader.skip();
  if (text[start] !== '[') throw new DomainSyntaxError("a domain starts with '['", start);
  const items = reader.list();
  reader.end();
  return buildAll(items);
}

/**
 * A domain as JSON-RPC carries it: `[["id", ">", 5], "|", ["model", "=", "a"], ...]`. A syntax
 * error's position is the index of the item at fault.
 */
export function domainFromJson(list: unknown): Domain {
  if (!Array.isArray(list)) throw new DomainSyntaxError('a domain is a list', 0);
  return buildAll(list.map((item, position) => ({ item: item as Literal, position })));
}

/** The whole list as one tree: each prefix operator takes the next trees, leftover trees are ANDed. */
function buildAll(items: Array<{ item: Literal; position: number }>): Domain {
  let index = 0;
  const next = (): Domain => {
    if (index >= items.length) {
      const at = items.length > 0 ? items[items.length - 1].position : 0;
      throw new DomainSyntaxError('an operator is missing its operand', at);
    }
    const { item, position } = items[index++];
    if (item === '&' || item === '|') {
      const left = next();
      const right = next();
      return { kind: item === '&' ? 'and' : 'or', left, right };
    }
    if (item === '!') return { kind: 'not', operand: next() };
    return term(item, position);
  };
  let tree: Domain = { kind: 'true' };
  let first = true;
  while (index < items.length) {
    const node = next();
    tree = first ? node : { kind: 'and', left: tree, right: node };
    first = false;
  }
  return tree;
}

function term(item: Literal, position: number): Domain {
  if (!Array.isArray(item) || item.length !== 3) {
    throw new DomainSyntaxError(
      "expected a term (field, operator, value) or one of '&', '|', '!'",
      position,
    );
  }
  const [field, operator, value] = item;
  if (typeof field !== 'string' || !/^[a-z_][a-z0-9_]*$/.test(field)) {
    throw new DomainSyntaxError('a term starts with a field name', position);
  }
  if (typeof operator !== 'string' || !(DOMAIN_OPERATORS as readonly string[]).includes(operator)) {
    throw new DomainSyntaxError(
      `unknown operator ${JSON.stringify(operator)} (one of ${DOMAIN_OPERATORS.join(' ')})`,
      position,
    );
  }
  if ((operator === 'in' || operator === 'not in') && !Array.isArray(value)) {
    throw new DomainSyntaxError(`'${operator}' takes a list`, position);
  }
  return { kind: 'term', field, operator: operator as DomainOperator, value };
}

/** Reads Python literals: strings, numbers, True/False/None, lists and tuples. */
class LiteralReader {
  private at = 0;
  constructor(private readonly text: string) {}

  skip(): number {
    while (this.at < this.text.length && /\s/.test(this.text[this.at])) this.at++;
    return this.at;
  }

  end(): void {
    if (this.skip() < this.text.length) {
      throw new DomainSyntaxError('unexpected text after the domain', this.at);
    }
  }

  /** The items of a list or tuple, each with where it starts. */
  list(): Array<{ item: Literal; position: number }> {
    const open = this.text[this.at];
    const close = open === '[' ? ']' : ')';
    this.at++;
    const items: Array<{ item: Literal; position: number }> = [];
    for (;;) {
      const position = this.skip();
      if (this.text[this.at] === close) {
        this.at++;
        return items;
      }
      items.push({ item: this.value(), position });
      this.skip();
      const c = this.text[this.at];
      if (c === ',') this.at++;
      else if (c !== close) {
        throw new DomainSyntaxError(
          c === undefined ? `missing '${close}'` : `expected ',' or '${close}'`,
          this.at,
        );
      }
    }
  }

  private value(): Literal {
    const position = this.skip();
    const c = this.text[position];
    if (c === '[' || c === '(') return this.list().map((i) => i.item);
    if (c === "'" || c === '"') return this.string(c);
    const word = /^(-?\d+(\.\d+)?([eE][-+]?\d+)?|True|False|None|[&|!])/.exec(
      this.text.slice(position),
    );
    if (!word) throw new DomainSyntaxError('expected a value', position);
    this.at += word[0].length;
    switch (word[0]) {
      case 'True':
        return true;
      case 'False':
        return false;
      case 'None':
        return null;
      case '&':
      case '|':
      case '!':
        return word[0];
      default:
        return Number(word[0]);
    }
  }

  private string(quote: string): string {
    const start = this.at;
    let out = '';
    for (this.at++; this.at < this.text.length; this.at++) {
      const c = this.text[this.at];
      if (c === '\\') {
        out += this.text[++this.at] ?? '';
      } else if (c === quote) {
        this.at++;
        return out;
      } else out += c;
    }
    throw new DomainSyntaxError('unterminated string', start);
  }
}

/** True when the record's values satisfy the domain (a missing field is null, as Odoo's False). */
export function matchesDomain(domain: Domain, record: Record<string, unknown>): boolean {
  switch (domain.kind) {
    case 'true':
      return true;
    case 'and':
      return matchesDomain(domain.left, record) && matchesDomain(domain.right, record);
    case 'or':
      return matchesDomain(domain.left, record) || matchesDomain(domain.right, record);
    case 'not':
      return !matchesDomain(domain.operand, record);
    case 'term':
      return compare(comparable(record[domain.field]), domain.operator, domain.value);
  }
}

/** many2one values ({id, name}) compare by id, like Odoo's domains do. */
function comparable(value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value) && 'id' in value) {
    return (value as { id: unknown }).id;
  }
  return value ?? null;
}

function compare(actual: unknown, operator: DomainOperator, expected: Literal): boolean {
  const falsy = (v: unknown) => v === null || v === false;
  switch (operator) {
    case '=':
      return falsy(expected) ? falsy(actual) : actual === expected;
    case '!=':
      return falsy(expected) ? !falsy(actual) : actual !== expected;
    case '>':
    case '>=':
    case '<':
    case '<=': {
      if (actual === null || actual === undefined || expected === null) return false;
      const [a, b] = [actual as number | string, expected as number | string];
      return operator === '>'
        ? a > b
        : operator === '>='
          ? a >= b
          : operator === '<'
            ? a < b
            : a <= b;
    }
    case 'in':
      return (expected as Literal[]).some((v) => v === actual || (falsy(v) && falsy(actual)));
    case 'not in':
      return !(expected as Literal[]).some((v) => v === actual || (falsy(v) && falsy(actual)));
    case 'like':
    case 'ilike':
      return like(actual, `%${String(expected)}%`, operator === 'ilike');
    case '=like':
    case '=ilike':
      return like(actual, String(expected), operator === '=ilike');
  }
}

/** SQL LIKE: `%` any run, `_` one character. */
function like(actual: unknown, pattern: string, caseless: boolean): boolean {
  if (actual === null || actual === undefined || actual === false) return false;
  const text = typeof actual === 'object' ? JSON.stringify(actual) : String(actual);
  const regex = pattern
    .split('')
    .map((c) => (c === '%' ? '.*' : c === '_' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${regex}$`, caseless ? 'is' : 's').test(text);
}
