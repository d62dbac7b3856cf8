import { addonPayload, OdooField, RecordLookups } from './addon-payload';
import { accountMoveDisplayName, productDisplayName, shorten } from './display-name-rules';

const field = (name: string, ttype: string, extra: Partial<OdooField> = {}): OdooField => ({
  name,
  ttype,
  relation: null,
  translate: false,
  relationField: null,
  relationTable: null,
  column1: null,
  column2: null,
  ...extra,
});

const fields = new Map(
  [
    field('id', 'integer'),
    field('name', 'char'),
    field('partner_id', 'many2one', { relation: 'res.partner' }),
    field('product_uom', 'many2one', { relation: 'uom.uom' }),
    field('user_id', 'many2one', { relation: 'res.users' }),
    field('order_line', 'one2many', { relation: 'sale.order.line', relationField: 'order_id' }),
    field('tag_ids', 'many2many', { relation: 'crm.tag' }),
    field('date_order', 'datetime'),
    field('validity_date', 'date'),
    field('note', 'html'),
    field('amount_total', 'monetary'),
    field('locked', 'boolean'),
    field('create_uid', 'many2one', { relation: 'res.users' }),
    field('write_uid', 'many2one', { relation: 'res.users' }),
    field('message_ids', 'one2many', { relation: 'mail.message' }),
    field('description', 'char', { translate: true }),
  ].map((f) => [f.name, f]),
);

const names: Record<string, string> = {
  'res.partner#12': 'Ready Mat',
  'uom.uom#1': 'Units',
  'sale.order.line#6': 'S00003 - Virtual Interior Design',
  'sale.order.line#7': 'S00003 - [FURN_7777] Office Chair',
  'sale.order#3': 'S00003',
};
const lookups: RecordLookups = {
  displayName: (model, id) => names[`${model}#${id}`],
  related: (f, id) => (f === 'order_line' && id === 3 ? [6, 7] : f === 'tag_ids' ? [] : undefined),
};

describe('addonPayload', () => {
  const source = {
    model: 'sale.order',
    recordId: 3,
    operation: 'write' as const,
    values: {
      id: 3,
      name: 'S00003',
      partner_id: 12,
      product_uom: 1,
      user_id: null,
      date_order: '2026-11-22 15:28:17',
      validity_date: null,
      note: null,
      amount_total: null,
      locked: null,
      create_uid: 2,
      write_uid: 2,
      description: { en_US: 'Desk', fr_FR: 'Bureau' },
    },
    changedFields: ['partner_id'],
    at: '2026-11-22T15:30:00.123Z',
  };

  it("shapes a record as the add-on's _webhook_prepare_payload does", () => {
    expect(addonPayload(source, fields, lookups)).toEqual({
      id: 3,
      name: 'S00003',
      // Which fields are many2one comes from the metadata, whatever their names.
      partner_id: { id: 12, name: 'Ready Mat' },
      product_uom: { id: 1, name: 'Units' },
      user_id: { id: false, name: '' },
      order_line: [
        { id: 6, name: 'S00003 - Virtual Interior Design' },
        { id: 7, name: 'S00003 - [FURN_7777] Office Chair' },
      ],
      tag_ids: [],
      date_order: '2026-11-22T15:28:17',
      validity_date: false,
      note: false,
      amount_total: 0,
      locked: false,
      description: 'Desk',
      _metadata: {
        model: 'sale.order',
        id: 3,
        display_name: 'S00003',
        operation: 'write',
        timestamp: '2026-11-22T15:30:00',
      },
      _changed_fields: ['partner_id'],
    });
  });

  it('leaves _changed_fields to writes and names a deleted record from its values', () => {
    const unlinked = addonPayload(
      { ...source, operation: 'unlink', recordId: 99, values: { id: 99, name: 'S00099' } },
      fields,
      lookups,
    );
    expect(unlinked._changed_fields).toBeUndefined();
    expect(unlinked._metadata).toMatchObject({ display_name: 'S00099', operation: 'unlink' });
  });

  it("without Odoo's metadata passes the values through, empty ones as false", () => {
    const payload = addonPayload(
      { ...source, operation: 'create', values: { id: 3, partner_id: 12, note: null } },
      new Map(),
      { displayName: () => undefined, related: () => undefined },
    );
    expect(payload).toEqual({
      id: 3,
      partner_id: 12,
      note: false,
      _metadata: expect.objectContaining({ display_name: '3', operation: 'create' }),
    });
  });
});

describe('display names as Odoo 17 computes them', () => {
  it('product.product: [code] name (variant values)', () => {
    expect(productDisplayName('Customizable Desk', 'FURN_0096', ['Steel', 'White'])).toBe(
      '[FURN_0096] Customizable Desk (Steel, White)',
    );
    expect(productDisplayName('Office Lamp', null, [])).toBe('Office Lamp');
  });

  it('account.move: draft label, (* id) without a number, the reference shortened', () => {
    const move = { id: 6, name: '/', state: 'draft', moveType: 'in_invoice', ref: null };
    expect(accountMoveDisplayName(move)).toBe('Draft Bill (* 6)');
    expect(
      accountMoveDisplayName({ ...move, name: 'INV/2026/00001', state: 'posted', ref: 'PO 7' }),
    ).toBe('INV/2026/00001 (PO 7)');
  });

  it("shorten as Python's textwrap.shorten", () => {
    expect(shorten('  a   b ', 50)).toBe('a b');
    expect(shorten('Hello world, this is a rather long reference text for testing', 30)).toBe(
      'Hello world, this is a [...]',
    );
  });
});
