import { decodeCursor, encodeCursor, pageOf } from './cursor';

describe('keyset cursors', () => {
  it('round-trips the key of the last row of a page', () => {
    const key: [string, string] = ['2026-12-02T03:00:00.123456Z', 'msg_abc'];
    expect(decodeCursor(encodeCursor(key), ['string', 'string'])).toEqual(key);
  });

  it.each([
    '',
    'not-base64!',
    encodeCursor([1]),
    encodeCursor(['a', 2]),
    encodeCursor(['a\u0000', 'b']),
  ])('refuses %j with a 400 that says what to pass', (cursor) => {
    expect(() => decodeCursor(cursor, ['string', 'string'])).toThrow(
      /cursor is not one this api handed out/,
    );
  });

  it('announces a next page only when a row beyond the limit was read', () => {
    const rows = [{ id: 1 }, { id: 2 }, { id: 3 }];
    expect(pageOf(rows, 2, (r) => [r.id])).toEqual({
      items: rows.slice(0, 2),
      nextCursor: encodeCursor([2]),
    });
    expect(pageOf(rows, 3, (r) => [r.id])).toEqual({ items: rows, nextCursor: null });
  });
});
