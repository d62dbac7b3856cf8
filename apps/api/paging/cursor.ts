import { BadRequestException } from '@nestjs/common';

/**
 * Opaque cursors of keyset paging: the sort key of the last row of a page, as base64url JSON.
 * Clients pass it back unchanged; anything else is a 400.
 */
export function encodeCursor(key: Array<string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<T extends Array<string | number>>(
  cursor: string,
  shape: Array<'string' | 'number'>,
): T {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  const ok =
    Array.isArray(key) &&
    key.length === shape.length &&
    key.every((v, i) => typeof v === shape[i] && (typeof v !== 'string' || !v.includes('\u0000')));
  if (!ok) {
    throw new BadRequestException(
      'cursor is not one this api handed out (pass next_cursor back unchanged)',
    );
  }
  return key as T;
}

/** One page and where the next one starts (null: this was the last). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Rows read with `limit + 1`: the extra one says that a next page exists. */
export function pageOf<T>(
  rows: T[],
  limit: number,
  keyOf: (row: T) => Array<string | number>,
): Page<T> {
  const items = rows.slice(0, limit);
  const more = rows.length > limit;
  return {
    items,
    nextCursor: more && items.length > 0 ? encodeCursor(keyOf(items[items.length - 1])) : null,
  };
}
