import {
  avroType,
  decimalBytes,
  epochDays,
  epochMicros,
  fromText,
  numericShape,
} from './column-types';

const column = (typeOid: number, typeMod = -1) => ({ name: 'c', typeOid, typeMod });

describe('PostgreSQL columns as Avro', () => {
  it('gives dates, timestamps and constrained numerics their logical types', () => {
    expect(avroType(column(1082))).toEqual({ type: 'int', logicalType: 'date' });
    expect(avroType(column(1114))).toEqual({ type: 'long', logicalType: 'timestamp-micros' });
    // numeric(12,2): typmod = ((12 << 16) | 2) + 4
    expect(avroType(column(1700, ((12 << 16) | 2) + 4))).toEqual({
      type: 'bytes',
      logicalType: 'decimal',
      precision: 12,
      scale: 2,
    });
    expect(numericShape(-1)).toBeUndefined();
  });

  it('keeps unconstrained numerics and JSON as exact text', () => {
    expect(avroType(column(1700))).toEqual({ type: 'string', 'odoo_stream.type': 'decimal' });
    expect(fromText(column(1700), '1234.567890123456789')).toBe('1234.567890123456789');
    expect(avroType(column(3802))).toEqual({ type: 'string', 'odoo_stream.type': 'json' });
    expect(fromText(column(3802), '{"en_US": "Desk"}')).toBe('{"en_US": "Desk"}');
  });

  it('converts text forms to Avro values', () => {
    expect(fromText(column(16), 't')).toBe(true);
    expect(fromText(column(16), 'f')).toBe(false);
    expect(fromText(column(23), '42')).toBe(42);
    expect(fromText(column(20), '9007199254740991')).toBe(9007199254740991);
    expect(fromText(column(701), '0.1')).toBe(0.1);
    expect(fromText(column(17), '\\x00ff')).toEqual(Buffer.from([0, 255]));
    expect(fromText(column(25), null)).toBeNull();
  });

  it('reads Odoo timestamps (UTC, without time zone) to the microsecond', () => {
    expect(epochMicros('2026-11-22 15:35:34.051418')).toBe(
      Date.UTC(2026, 10, 22, 15, 35, 34) * 1000 + 51418,
    );
    expect(epochMicros('2026-11-22 15:35:34')).toBe(Date.UTC(2026, 10, 22, 15, 35, 34) * 1000);
    expect(epochMicros('2026-11-22 17:35:34.5+02')).toBe(
      Date.UTC(2026, 10, 22, 15, 35, 34) * 1000 + 500000,
    );
    expect(epochMicros('2026-11-22 10:05:34-05:30')).toBe(
      Date.UTC(2026, 10, 22, 15, 35, 34) * 1000,
    );
    expect(epochDays('1970-01-02')).toBe(1);
    expect(epochDays('2026-11-22')).toBe(Date.UTC(2026, 10, 22) / 86_400_000);
    expect(() => epochMicros('yesterday')).toThrow("'yesterday' is not a timestamp");
  });

  it('encodes decimals as two’s complement of the unscaled value', () => {
    expect(decimalBytes('1.00', 2)).toEqual(Buffer.from([0x64]));
    expect(decimalBytes('-1.00', 2)).toEqual(Buffer.from([0x9c]));
    expect(decimalBytes('1.28', 2)).toEqual(Buffer.from([0x00, 0x80]));
    expect(decimalBytes('0', 2)).toEqual(Buffer.from([0x00]));
    expect(decimalBytes('-1.28', 2)).toEqual(Buffer.from([0x80]));
  });
});
