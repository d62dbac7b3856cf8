import { Type } from 'avsc';
import { envelopeSchema, keySchema, schemaNamespace } from './model-schema';

const columns = [
  { name: 'id', typeOid: 23, typeMod: -1 },
  { name: 'name', typeOid: 1043, typeMod: -1 },
  { name: 'amount_total', typeOid: 1700, typeMod: -1 },
  { name: 'date_order', typeOid: 1114, typeMod: -1 },
];

describe('model schemas', () => {
  it('names schemas after db and model with Avro-safe names', () => {
    expect(schemaNamespace('odoo-prod', 'sale.order')).toBe('odoo_stream.odoo_prod.sale_order');
    expect(schemaNamespace('17db', 'res.partner')).toBe('odoo_stream._17db.res_partner');
  });

  it('round-trips an event through the envelope', () => {
    const type = Type.forSchema(envelopeSchema('prod', 'sale.order', columns) as never);
    const event = {
      event_id: 'a'.repeat(32),
      db: 'prod',
      model: 'sale.order',
      record_id: 7,
      op: 'write',
      ts_ms: 1_795_000_000_000,
      captured_ms: 1_795_000_000_050,
      tx_id: 812,
      lsn: '0/1A2B3C4',
      uid: 2,
      changed_fields: ['amount_total'],
      before: { id: 7, name: 'S00007', amount_total: '100.00', date_order: 1_795_000_000_000_000 },
      after: { id: 7, name: 'S00007', amount_total: '120.00', date_order: 1_795_000_000_000_000 },
    };
    expect(type.fromBuffer(type.toBuffer(event))).toEqual(event);
  });

  it('reads events written before a column was added (the new field defaults to null)', () => {
    const old = Type.forSchema(envelopeSchema('prod', 'sale.order', columns) as never);
    const added = Type.forSchema(
      envelopeSchema('prod', 'sale.order', [
        ...columns,
        { name: 'x_margin', typeOid: 1700, typeMod: -1 },
      ]) as never,
    );
    const written = old.toBuffer({
      event_id: 'b'.repeat(32),
      db: 'prod',
      model: 'sale.order',
      record_id: 8,
      op: 'create',
      ts_ms: 1,
      captured_ms: 2,
      tx_id: null,
      lsn: '0/1',
      uid: null,
      changed_fields: [],
      before: null,
      after: { id: 8, name: 'S00008', amount_total: null, date_order: null },
    });
    const decoded = added.createResolver(old);
    expect(added.fromBuffer(written, decoded).after).toEqual({
      id: 8,
      name: 'S00008',
      amount_total: null,
      date_order: null,
      x_margin: null,
    });
  });

  it('has a key schema holding the record id', () => {
    const key = Type.forSchema(keySchema('prod', 'sale.order') as never);
    expect(key.fromBuffer(key.toBuffer({ id: 42 }))).toEqual({ id: 42 });
  });
});
