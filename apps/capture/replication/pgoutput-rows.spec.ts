import { PgoutputParser } from 'pg-logical-replication/dist/output-plugins/pgoutput/pgoutput-parser';
import { decodeRowMessage, isRowMessage } from './pgoutput-rows';

/** pgoutput messages as PostgreSQL writes them (protocol version 1). */
const int16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const cstring = (s: string) => Buffer.concat([Buffer.from(s), Buffer.from([0])]);
type Cell = string | null | 'unchanged';
const tuple = (cells: Cell[]) =>
  Buffer.concat([
    int16(cells.length),
    ...cells.map((cell) =>
      cell === null
        ? Buffer.from('n')
        : cell === 'unchanged'
          ? Buffer.from('u')
          : Buffer.concat([Buffer.from('t'), int32(Buffer.byteLength(cell)), Buffer.from(cell)]),
    ),
  ]);
const relation = Buffer.concat([
  Buffer.from('R'),
  int32(16384),
  cstring('public'),
  cstring('res_partner'),
  Buffer.from('d'),
  int16(3),
  ...[
    ['id', 1, 23],
    ['name', 0, 1043],
    ['comment', 0, 25],
  ].map(([name, flags, oid]) =>
    Buffer.concat([
      Buffer.from([flags as number]),
      cstring(name as string),
      int32(oid as number),
      int32(-1),
    ]),
  ),
]);

function parsers() {
  const library = new PgoutputParser();
  library.parse(relation);
  for (const column of library._relationCache.get(16384)!.columns) column.parser = (raw) => raw;
  return { library, relations: library._relationCache };
}

const messages: Record<string, Buffer> = {
  insert: Buffer.concat([
    Buffer.from('I'),
    int32(16384),
    Buffer.from('N'),
    tuple(['7', 'Café Ünïcode ☕', null]),
  ]),
  'update without old image': Buffer.concat([
    Buffer.from('U'),
    int32(16384),
    Buffer.from('N'),
    tuple(['7', 'Azure', 'unchanged']),
  ]),
  'update with the key': Buffer.concat([
    Buffer.from('U'),
    int32(16384),
    Buffer.from('K'),
    tuple(['6', null, null]),
    Buffer.from('N'),
    tuple(['7', 'Azure', null]),
  ]),
  'update with the old image (unchanged TOAST taken from it)': Buffer.concat([
    Buffer.from('U'),
    int32(16384),
    Buffer.from('O'),
    tuple(['7', 'Old', 'long text']),
    Buffer.from('N'),
    tuple(['7', 'New', 'unchanged']),
  ]),
  'delete with the key': Buffer.concat([
    Buffer.from('D'),
    int32(16384),
    Buffer.from('K'),
    tuple(['7', null, null]),
  ]),
  'delete with the old image': Buffer.concat([
    Buffer.from('D'),
    int32(16384),
    Buffer.from('O'),
    tuple(['7', 'Azure', '']),
  ]),
};

describe('decodeRowMessage', () => {
  for (const [name, body] of Object.entries(messages)) {
    it(`reads a ${name} as the library's parser does`, () => {
      const { library, relations } = parsers();
      expect(isRowMessage(body)).toBe(true);
      expect(decodeRowMessage(body, relations)).toEqual(library.parse(body));
    });
  }

  it('keeps an unchanged TOAST value without an old image as undefined, for the coalescer to fill', () => {
    const { relations } = parsers();
    const row = decodeRowMessage(messages['update without old image'], relations);
    expect(row.tag === 'update' && 'comment' in row.new && row.new.comment).toBeUndefined();
  });

  it('refuses a row of a relation it has not seen, and a message cut short', () => {
    expect(() => decodeRowMessage(messages.insert, new Map())).toThrow(/before its RELATION/);
    const { relations } = parsers();
    expect(() => decodeRowMessage(messages.insert.subarray(0, 20), relations)).toThrow(
      /ends too soon/,
    );
  });

  it('keeps a column named __proto__ as a value, not as the row prototype', () => {
    const odd = Buffer.concat([
      Buffer.from('R'),
      int32(16385),
      cstring('public'),
      cstring('odd'),
      Buffer.from('d'),
      int16(2),
      Buffer.concat([Buffer.from([1]), cstring('id'), int32(23), int32(-1)]),
      Buffer.concat([Buffer.from([0]), cstring('__proto__'), int32(25), int32(-1)]),
    ]);
    const library = new PgoutputParser();
    library.parse(odd);
    const insert = Buffer.concat([
      Buffer.from('I'),
      int32(16385),
      Buffer.from('N'),
      tuple(['1', 'x']),
    ]);
    const row = decodeRowMessage(insert, library._relationCache);
    expect(row.tag === 'insert' && Object.getPrototypeOf(row.new)).toBe(Object.prototype);
    expect(row.tag === 'insert' && Object.entries(row.new)).toEqual([
      ['id', '1'],
      ['__proto__', 'x'],
    ]);
  });

  it('leaves other messages to the library', () => {
    expect(isRowMessage(relation)).toBe(false);
  });
});
