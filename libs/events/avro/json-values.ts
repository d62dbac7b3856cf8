import { AvroValue } from './column-types';
import { RecordImage } from '../change-event';

/** A record's values as JSON, the way Odoo's JSON APIs print them. */
export type JsonImage = Record<string, unknown>;
type FieldConverter = (value: AvroValue) => unknown;

interface AvroField {
  name: string;
  type: unknown;
}

/**
 * Builds the converter from a model's decoded Avro image to JSON from its envelope schema, once
 * per schema: datetimes as 'YYYY-MM-DD HH:MM:SS' (UTC, Odoo's format), dates as 'YYYY-MM-DD',
 * monetary and float numerics as numbers, JSON columns (translations) parsed, bytes as base64.
 */
export function imageToJson(envelope: { fields?: AvroField[] }): (image: RecordImage) => JsonImage {
  const before = envelope.fields?.find((f) => f.name === 'before');
  const record = (Array.isArray(before?.type) ? before.type : []).find(
    (t): t is { fields: AvroField[] } => typeof t === 'object' && t !== null && 'fields' in t,
  );
  if (!record) throw new Error('not an odoo-stream envelope schema: no before record');
  const converters = record.fields.map(
    (field) => [field.name, converterFor(field.type)] as [string, FieldConverter],
  );
  return (image) => {
    const json: JsonImage = {};
    for (const [name, convert] of converters) {
      const value = image[name];
      json[name] = value === null || value === undefined ? null : convert(value);
    }
    return json;
  };
}

function converterFor(type: unknown): FieldConverter {
  const branch = Array.isArray(type) ? type.find((t) => t !== 'null') : type;
  if (typeof branch === 'string') {
    return branch === 'bytes' ? (v) => (v as Buffer).toString('base64') : (v) => v;
  }
  const shape = branch as Record<string, unknown>;
  switch (shape.logicalType ?? shape['odoo_stream.type']) {
    case 'timestamp-micros':
      return (v) => odooDatetime(v as number);
    case 'date':
      return (v) => new Date((v as number) * 86_400_000).toISOString().slice(0, 10);
    case 'decimal':
      return shape.type === 'bytes'
        ? (v) => Number(decimalText(v as Buffer, Number(shape.scale ?? 0)))
        : (v) => Number(v);
    case 'json':
      return (v) => parseJson(v as string);
    default:
      return shape.type === 'bytes' ? (v) => (v as Buffer).toString('base64') : (v) => v;
  }
}

/** Microseconds since the epoch as Odoo prints a datetime: 2024-05-01 09:30:00 (UTC). */
export function odooDatetime(micros: number): string {
  return new Date(Math.floor(micros / 1000)).toISOString().slice(0, 19).replace('T', ' ');
}

/** Avro decimal bytes (big-endian two's complement, unscaled) as decimal text. */
export function decimalText(bytes: Buffer, scale: number): string {
  let unscaled = 0n;
  for (const byte of bytes) unscaled = (unscaled << 8n) | BigInt(byte);
  if (bytes.length > 0 && (bytes[0] & 0x80) !== 0) unscaled -= 1n << BigInt(bytes.length * 8);
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const text = scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return negative ? `-${text}` : text;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
