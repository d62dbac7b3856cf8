import { createHash } from 'node:crypto';

/**
 * A schema's id is derived from its canonical text, so every odoo-stream process assigns the same
 * id to the same schema without asking anyone. Positive 31-bit, never 0.
 */
export function schemaId(canonical: string): number {
  const id = createHash('sha256').update(canonical).digest().readUInt32BE(0) & 0x7fffffff;
  return id === 0 ? 1 : id;
}

/** One text per schema: parse and re-serialise, so whitespace and key order in input do not matter. */
export function canonicalSchema(schema: string | object): string {
  const value = typeof schema === 'string' ? JSON.parse(schema) : schema;
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
