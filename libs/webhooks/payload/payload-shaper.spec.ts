import {
  defaultBody,
  filterFields,
  gAssistantBody,
  sampleInput,
  ShapingInput,
  TemplateError,
  TemplateRenderer,
} from './payload-shaper';

const order: ShapingInput = {
  event_id: 'e1',
  model: 'sale.order',
  record_id: 42,
  event: 'write',
  timestamp: '2026-11-22T09:30:00.000Z',
  priority: 'high',
  category: 'sales',
  changed_fields: ['state'],
  data: {
    id: 42,
    name: 'S00042',
    state: 'sale',
    amount_total: 1234.5,
    partner_id: { id: 7, name: 'Azure Interior' },
    date_order: '2026-11-22 09:30:00',
    locked: false,
  },
};

describe('payload shaping', () => {
  it('gives the default body', () => {
    expect(defaultBody(order)).toEqual({
      event_id: 'e1',
      model: 'sale.order',
      record_id: 42,
      event: 'write',
      timestamp: order.timestamp,
      priority: 'high',
      category: 'sales',
      data: order.data,
      changed_fields: ['state'],
    });
  });

  it('keeps included fields and id, drops excluded ones', () => {
    expect(filterFields(order.data, { included: ['name', 'state'] })).toEqual({
      id: 42,
      name: 'S00042',
      state: 'sale',
    });
    expect(Object.keys(filterFields(order.data, { excluded: ['date_order', 'locked'] }))).toEqual([
      'id',
      'name',
      'state',
      'amount_total',
      'partner_id',
    ]);
  });

  it('renders Jinja2-style templates with the odoo-stream filters', () => {
    const template = `{"text": "{{ model | uppercase }} {{ record.name }} for {{ data.partner_id.name }}: {{ record.amount_total | currency_format('$') }} on {{ record.date_order | date_only }}", "locked": "{{ record.locked | boolean_string }}", "fields": {{ changed_fields | tojson }}{% if event == 'write' %}, "kind": "{{ event | lowercase }}"{% endif %}}`;
    expect(new TemplateRenderer().render(template, order)).toEqual({
      text: 'SALE.ORDER S00042 for Azure Interior: $1,234.50 on 2026-11-22',
      locked: 'false',
      fields: ['state'],
      kind: 'write',
    });
  });

  it('refuses output that is not JSON, and templates that do not parse', () => {
    const renderer = new TemplateRenderer();
    expect(() => renderer.render('{"name": {{ record.name }}}', sampleInput('sale.order'))).toThrow(
      TemplateError,
    );
    expect(() => renderer.render('{"name": {{ record.name }}}', sampleInput('sale.order'))).toThrow(
      /not JSON/,
    );
    expect(() => renderer.render('{% if %}', sampleInput('sale.order'))).toThrow(/template failed/);
  });

  it("shapes G-Assistant's sale order and lead bodies", () => {
    expect(gAssistantBody(order)).toEqual({
      event: 'sale_order_updated',
      timestamp: order.timestamp,
      data: {
        id: 42,
        name: 'S00042',
        partner_name: 'Azure Interior',
        state: 'sale',
        amount_total: 1234.5,
      },
    });
    const lead = {
      ...order,
      model: 'crm.lead',
      record_id: 123,
      data: {
        id: 123,
        name: 'Big deal',
        partner_name: 'Deco Addict',
        email_from: 'buyer@deco.example',
        stage_id: { id: 2, name: 'Qualified' },
        expected_revenue: 50000,
        probability: 40,
      },
    };
    expect(gAssistantBody(lead)).toEqual({
      event: 'lead_updated',
      timestamp: order.timestamp,
      data: {
        id: 123,
        name: 'Big deal',
        partner_name: 'Deco Addict',
        email_from: 'buyer@deco.example',
        stage_name: 'Qualified',
        expected_revenue: 50000,
        probability: 40,
      },
    });
    expect(gAssistantBody({ ...order, model: 'res.partner' })).toBeNull();
  });
});

describe('TemplateRenderer sandbox', () => {
  const renderer = new TemplateRenderer();
  const sample = sampleInput('res.partner');

  it.each([
    ['constructor', `{"x": {{ range.constructor("return JSON.stringify(process.env)")() }} }`],
    [
      'constructor in a branch not taken',
      `{% if false %}{{ data.constructor }}{% endif %}{"a": 1}`,
    ],
    ['prototype', `{"x": "{{ range.prototype }}"}`],
    ['__proto__', `{"x": "{{ data.__proto__ }}"}`],
    ['a computed constructor key', `{"x": "{{ data['constr' ~ 'uctor'] }}"}`],
    ['process', `{"x": "{{ process.env.DATABASE_URL }}"}`],
    ['globalThis', `{"x": "{{ globalThis }}"}`],
  ])('refuses %s with a clear reason', (_what, template) => {
    expect(() => renderer.render(template, sample)).toThrow(
      /^template (refused|failed): .*(not accessible|not available|creating functions)/,
    );
  });

  it('gives templates no methods of JavaScript values, only the data', () => {
    expect(
      renderer.render(`{"n": "{{ data.name.toUpperCase }}", "l": {{ data.name.length }}}`, sample),
    ).toEqual({
      n: '',
      l: 6,
    });
  });

  it('still renders loops, conditions, macros and filters', () => {
    const template = `{% macro pair(k, v) %}"{{ k }}": "{{ v | uppercase }}"{% endmacro %}{ {{ pair('name', data.name) }}, "fields": [{% for f in changed_fields %}"{{ f }}"{% if not loop.last %},{% endif %}{% endfor %}], "n": {{ range(3) | length }} }`;
    expect(renderer.render(template, sample)).toEqual({ name: 'SAMPLE', fields: ['name'], n: 3 });
  });
});
