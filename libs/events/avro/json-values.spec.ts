import { decimalBytes, epochDays, epochMicros, fromText } from './column-types';
import { envelopeSchema } from './model-schema';
import { decimalText, imageToJson } from './json-values';

describe('imageToJson', () => {
  const columns = [
    { name: 'id', typeOid: 23, typeMod: -1 },
    { name: 'name', typeOid: 3802, typeMod: -1 },
    { name: 'amount_total', typeOid: 1700, typeMod: -1 },
    { name: 'rate', typeOid: 1700, typeMod: ((12 << 16) | 4) + 4 },
    { name: 'date_order', typeOid: 1114, typeMod: -1 },
    { name: 'validity_date', typeOid: 1082, typeMod: -1 },
    { name: 'active', typeOid: 16, typeMod: -1 },
    { name: 'note', typeOid: 25, typeMod: -1 },
  ];
  const toJson = imageToJson(envelopeSchema('prod', 'sale.order', columns));

  it('prints values the way Odoo JSON does', () => {
    const image = {
      id: 7,
      name: '{"en_US": "Desk"}',
      amount_total: '1234.50',
      rate: decimalBytes('-0.0425', 4),
      date_order: epochMicros('2024-05-01 09:30:00.123456'),
      validity_date: epochDays('2024-05-31'),
      active: true,
      note: null,
    };
    expect(toJson(image)).toEqual({
      id: 7,
      name: { en_US: 'Desk' },
      amount_total: 1234.5,
      rate: -0.0425,
      date_order: '2024-05-01 09:30:00',
      validity_date: '2024-05-31',
      active: true,
      note: null,
    });
  });

  it('gives null for a column the image does not have (schema newer than the event)', () => {
    expect(toJson({ id: 1 })).toMatchObject({ id: 1, note: null, active: null });
  });

  it('refuses a schema that is not an envelope', () => {
    expect(() => imageToJson({ fields: [{ name: 'id', type: 'long' }] })).toThrow(/envelope/);
  });
});

describe('decimalText', () => {
  it.each(['0.0000', '1.0000', '-1.0000', '123456.7890', '-0.0001', '99999999.9999'])(
    'reads back %s',
    (text) => {
      const column = { name: 'x', typeOid: 1700, typeMod: ((12 << 16) | 4) + 4 };
      expect(decimalText(fromText(column, text) as Buffer, 4)).toBe(text);
    },
  );
});
