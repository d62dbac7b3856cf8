import { DomainSyntaxError, matchesDomain, parseDomain } from './odoo-domain';

const order = {
  state: 'sale',
  amount_total: 1500,
  name: 'S00042',
  partner_id: { id: 7, name: 'Azure Interior' },
  note: null,
  tag: 'VIP customer',
};
const matches = (domain: string, record: Record<string, unknown> = order) =>
  matchesDomain(parseDomain(domain), record);

describe('Odoo domains', () => {
  it.each([
    ["[('state','=','sale'),('amount_total','>',1000)]", true],
    ["[('state','=','sale'),('amount_total','>',2000)]", false],
    ["['|',('state','=','draft'),('amount_total','>=',1500)]", true],
    ["['!',('state','in',['draft','cancel'])]", true],
    ["[('state','not in',('sale','done'))]", false],
    ["[('amount_total','<',1500)]", false],
    ["[('amount_total','<=',1500)]", true],
    ["[('amount_total','!=',1500)]", false],
    ["[('name','like','0004')]", true],
    ["[('tag','ilike','vip')]", true],
    ["[('tag','like','vip')]", false],
    ["[('name','=like','S%42')]", true],
    ["[('name','=ilike','s_0042')]", true],
    ["[('partner_id','=',7)]", true],
    ["[('note','=',False)]", true],
    ["[('note','!=',False)]", false],
    ["[('missing','=',None)]", true],
    ['[("state", "=", "sale")]', true],
    ["['&','|',('state','=','draft'),('state','=','sale'),('amount_total','>',1000)]", true],
    ['[]', true],
  ])('%s -> %s', (domain, expected) => {
    expect(matches(domain)).toBe(expected);
  });

  it.each([
    ["('state','=','sale')", "a domain starts with '['", 0],
    ["[('state','=','sale')", "missing ']'", 21],
    ["[('state','==','sale')]", 'unknown operator "=="', 1],
    ["[('state','in','sale')]", "'in' takes a list", 1],
    ["['|',('state','=','sale')]", 'an operator is missing its operand', 5],
    ["[('state','=','sale) ]", 'unterminated string', 14],
    ["[('state' '=','sale')]", "expected ',' or ')'", 10],
    ["[('state','=',sale)]", 'expected a value', 14],
    ["[('state','=','sale')] x", 'unexpected text after the domain', 23],
    ['[42]', 'expected a term (field, operator, value)', 1],
  ])('refuses %s with the position of the error', (domain, reason, position) => {
    let error: unknown;
    try {
      parseDomain(domain);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainSyntaxError);
    expect(error).toMatchObject({ position });
    expect((error as Error).message).toContain(reason);
  });
});
