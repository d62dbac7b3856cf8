import { avroType, ColumnDescriptor } from './column-types';

/** Avro names allow letters, digits and '_' only: `sale.order` in db `prod` -> odoo_stream.prod.sale_order. */
export function schemaNamespace(db: string, model: string): string {
  const part = (s: string) => s.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(\d)/, '_$1');
  return `odoo_stream.${part(db)}.${part(model)}`;
}

/** The record's values: one nullable field per column, in column order, each defaulting to null. */
export function valueSchema(db: string, model: string, columns: ColumnDescriptor[]) {
  return {
    type: 'record',
    name: 'Value',
    namespace: schemaNamespace(db, model),
    fields: columns.map((column) => ({
      name: column.name,
      type: ['null', avroType(column)],
      default: null,
    })),
  };
}

/** Key of every model topic: the record id. */
export function keySchema(db: string, model: string) {
  return {
    type: 'record',
    name: 'Key',
    namespace: schemaNamespace(db, model),
    fields: [{ name: 'id', type: 'long' }],
  };
}

/** The envelope every change event travels in, with the model's Value as before and after. */
export function envelopeSchema(db: string, model: string, columns: ColumnDescriptor[]) {
  const millis = { type: 'long', logicalType: 'timestamp-millis' };
  return {
    type: 'record',
    name: 'Envelope',
    namespace: schemaNamespace(db, model),
    fields: [
      { name: 'event_id', type: 'string' },
      { name: 'db', type: 'string' },
      { name: 'model', type: 'string' },
      { name: 'record_id', type: 'long' },
      {
        name: 'op',
        type: { type: 'enum', name: 'Op', symbols: ['create', 'write', 'unlink', 'read'] },
      },
      { name: 'ts_ms', type: millis },
      { name: 'captured_ms', type: millis },
      { name: 'tx_id', type: ['null', 'long'], default: null },
      { name: 'lsn', type: 'string' },
      { name: 'uid', type: ['null', 'long'], default: null },
      { name: 'changed_fields', type: { type: 'array', items: 'string' } },
      { name: 'before', type: ['null', valueSchema(db, model, columns)], default: null },
      { name: 'after', type: ['null', 'Value'], default: null },
    ],
  };
}
