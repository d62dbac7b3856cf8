export interface FieldRow {
  field: string;
  before: unknown;
  after: unknown;
  /** In the event's changed_fields, or different between the images. */
  changed: boolean;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The rows of a before/after table: every field of either image, the changed ones first (in
 * the event's order), then the rest by name.
 */
export function fieldRows(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
  changedFields: string[],
): FieldRow[] {
  const fields = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const rows = [...fields].map((field) => {
    const b = before ? before[field] : undefined;
    const a = after ? after[field] : undefined;
    const changed =
      changedFields.includes(field) || (before !== null && after !== null && !same(b, a));
    return { field, before: b, after: a, changed };
  });
  const order = (f: string) => {
    const i = changedFields.indexOf(f);
    return i === -1 ? changedFields.length : i;
  };
  return rows.sort(
    (x, y) =>
      Number(y.changed) - Number(x.changed) ||
      order(x.field) - order(y.field) ||
      x.field.localeCompare(y.field),
  );
}

/** A value as the table shows it: absent, null, text, or JSON. */
export function showValue(value: unknown): string {
  if (value === undefined) return '';
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
