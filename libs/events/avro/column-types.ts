/**
 * PostgreSQL columns as Avro types, and their text form (what pgoutput and a text-mode query
 * send) as Avro values. The mapping is decided from the type OID and modifier alone, so the
 * snapshot (query result fields) and the stream (pgoutput relation messages) agree.
 */

export interface ColumnDescriptor {
  name: string;
  typeOid: number;
  /** atttypmod: precision and scale of numeric(p,s), -1 when unconstrained. */
  typeMod: number;
}

export type AvroValue = null | boolean | number | string | Buffer;
export type AvroType = string | Record<string, unknown>;

const OID = {
  bool: 16,
  bytea: 17,
  int8: 20,
  int2: 21,
  int4: 23,
  oid: 26,
  text: 25,
  json: 114,
  float4: 700,
  float8: 701,
  bpchar: 1042,
  varchar: 1043,
  date: 1082,
  timestamp: 1114,
  timestamptz: 1184,
  numeric: 1700,
  uuid: 2950,
  jsonb: 3802,
} as const;

export interface NumericShape {
  precision: number;
  scale: number;
}

/** numeric(p,s) keeps p and s in its modifier; plain numeric (as Odoo creates) has none. */
export function numericShape(typeMod: number): NumericShape | undefined {
  if (typeMod < 4) return undefined;
  const packed = typeMod - 4;
  return { precision: (packed >> 16) & 0xffff, scale: packed & 0xffff };
}

export function avroType(column: ColumnDescriptor): AvroType {
  switch (column.typeOid) {
    case OID.bool:
      return 'boolean';
    case OID.int2:
    case OID.int4:
      return 'int';
    case OID.int8:
    case OID.oid:
      return 'long';
    case OID.float4:
    case OID.float8:
      return 'double';
    case OID.bytea:
      return 'bytes';
    case OID.date:
      return { type: 'int', logicalType: 'date' };
    case OID.timestamp:
    case OID.timestamptz:
      return { type: 'long', logicalType: 'timestamp-micros' };
    case OID.uuid:
      return { type: 'string', logicalType: 'uuid' };
    case OID.numeric: {
      const shape = numericShape(column.typeMod);
      // Unconstrained numeric (Odoo's floats and monetary fields) has no fixed scale for Avro's
      // decimal: it travels as its exact decimal text instead of being rounded.
      return shape
        ? { type: 'bytes', logicalType: 'decimal', precision: shape.precision, scale: shape.scale }
        : { type: 'string', 'odoo_stream.type': 'decimal' };
    }
    case OID.json:
    case OID.jsonb:
      // Translated fields ({"en_US": ...}) and properties: the JSON text, as sent.
      return { type: 'string', 'odoo_stream.type': 'json' };
    default:
      // text, varchar, char, time, intervals, arrays, enums: their PostgreSQL text form.
      return 'string';
  }
}

/** Converts a column's text form to the Avro value avroType() promises. */
export function fromText(column: ColumnDescriptor, text: string | null): AvroValue {
  if (text === null) return null;
  switch (column.typeOid) {
    case OID.bool:
      return text === 't' || text === 'true';
    case OID.int2:
    case OID.int4:
    case OID.int8:
    case OID.oid:
      return Number(text);
    case OID.float4:
    case OID.float8:
      return parseFloat(text);
    case OID.bytea:
      return Buffer.from(text.startsWith('\\x') ? text.slice(2) : text, 'hex');
    case OID.date:
      return epochDays(text);
    case OID.timestamp:
    case OID.timestamptz:
      return epochMicros(text);
    case OID.numeric: {
      const shape = numericShape(column.typeMod);
      return shape ? decimalBytes(text, shape.scale) : text;
    }
    default:
      return text;
  }
}

/** 'YYYY-MM-DD' as days since 1970-01-01. */
export function epochDays(text: string): number {
  const match = /^(\d{4,})-(\d{2})-(\d{2})/.exec(text);
  if (!match) throw new Error(`'${text}' is not a date`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / 86_400_000;
}

/**
 * 'YYYY-MM-DD HH:MM:SS[.ffffff][+HH[:MM]]' as microseconds since the epoch, UTC. A timestamp
 * without time zone is taken as UTC, which is how Odoo stores every datetime.
 */
export function epochMicros(text: string): number {
  const match =
    /^(\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?:([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?)?$/.exec(
      text,
    );
  if (!match) throw new Error(`'${text}' is not a timestamp`);
  const [, y, mo, d, h, mi, s, fraction = '', sign, oh = '0', om = '0', os = '0'] = match;
  const millis = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const offsetSeconds = sign
    ? (sign === '-' ? -1 : 1) * (Number(oh) * 3600 + Number(om) * 60 + Number(os))
    : 0;
  return (millis / 1000 - offsetSeconds) * 1_000_000 + Number(fraction.padEnd(6, '0'));
}

/** Avro decimal: the unscaled value as big-endian two's complement bytes. */
export function decimalBytes(text: string, scale: number): Buffer {
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = text.replace(/^[-+]/, '').split('.');
  let unscaled = BigInt(whole + fraction.padEnd(scale, '0').slice(0, scale));
  if (negative) unscaled = -unscaled;
  return twosComplement(unscaled);
}

function twosComplement(value: bigint): Buffer {
  const bytes: number[] = [];
  let v = value;
  do {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  } while (!(v === 0n && (bytes[0] & 0x80) === 0) && !(v === -1n && (bytes[0] & 0x80) !== 0));
  return Buffer.from(bytes);
}
