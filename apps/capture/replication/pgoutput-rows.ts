import { Pgoutput } from 'pg-logical-replication';

export type RowMessage = Pgoutput.MessageInsert | Pgoutput.MessageUpdate | Pgoutput.MessageDelete;

const INSERT = 0x49; // I
const UPDATE = 0x55; // U
const DELETE = 0x44; // D

/** True for the pgoutput messages decodeRowMessage reads (the first byte is the tag). */
export function isRowMessage(body: Buffer): boolean {
  return body[0] === INSERT || body[0] === UPDATE || body[0] === DELETE;
}

/**
 * Reads pgoutput's INSERT, UPDATE and DELETE messages (protocol version 1), the bulk of a
 * catch-up, into the shapes the pg-logical-replication parser gives, with values kept as text.
 * Rows are ordinary objects (that parser makes prototype-less ones, which V8 keeps in slow
 * dictionary mode) and text is sliced straight from the buffer: the rows are read, compared and
 * copied several times per change, so how they are built shows in the whole pipeline's rate.
 * https://www.postgresql.org/docs/15/protocol-logicalrep-message-formats.html
 */
export function decodeRowMessage(
  body: Buffer,
  relations: Map<number, Pgoutput.MessageRelation>,
): RowMessage {
  const reader = new RowReader(body);
  const tag = reader.byte();
  const relationOid = reader.int32();
  const relation = relations.get(relationOid);
  if (!relation) throw new Error(`pgoutput: a row of relation ${relationOid} before its RELATION`);
  if (tag === INSERT) {
    reader.byte(); // 'N'
    return { tag: 'insert', relation, new: reader.tuple(relation.columns) };
  }
  const part = reader.byte();
  if (tag === UPDATE) {
    let key: Record<string, unknown> | null = null;
    let old: Record<string, unknown> | null = null;
    if (part === 0x4b /* K */) {
      key = keyOnly(reader.tuple(relation.columns), relation.keyColumns);
      reader.byte(); // 'N'
    } else if (part === 0x4f /* O */) {
      old = reader.tuple(relation.columns);
      reader.byte(); // 'N'
    } else if (part !== 0x4e /* N */) {
      throw new Error(`pgoutput: unknown UPDATE part ${String.fromCharCode(part)}`);
    }
    return { tag: 'update', relation, key, old, new: reader.tuple(relation.columns, old) };
  }
  if (tag === DELETE) {
    if (part === 0x4b /* K */) {
      const key = keyOnly(reader.tuple(relation.columns), relation.keyColumns);
      return { tag: 'delete', relation, key, old: null };
    }
    if (part === 0x4f /* O */) {
      return { tag: 'delete', relation, key: null, old: reader.tuple(relation.columns) };
    }
    throw new Error(`pgoutput: unknown DELETE part ${String.fromCharCode(part)}`);
  }
  throw new Error(`pgoutput: ${String.fromCharCode(tag)} is not a row message`);
}

/** A key-only image (REPLICA IDENTITY DEFAULT) carries the key columns and nothing else. */
function keyOnly(tuple: Record<string, unknown>, keyColumns: string[]): Record<string, unknown> {
  const key: Record<string, unknown> = {};
  for (const name of keyColumns)
    setValue(key, name, tuple[name] === null ? undefined : tuple[name]);
  return key;
}

/** A column named __proto__ must become a property, not the object's prototype. */
function setValue(row: Record<string, unknown>, name: string, value: unknown): void {
  if (name === '__proto__') {
    Object.defineProperty(row, name, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    row[name] = value;
  }
}

type RowBuilder = (values: unknown[]) => Record<string, unknown>;
const builders = new WeakMap<Pgoutput.RelationColumn[], RowBuilder>();

/**
 * A relation's rows built by one object literal with its column names (made once per relation):
 * every row then shares one shape, where adding the columns one by one costs a store and a
 * shape change per column.
 */
function rowBuilder(columns: Pgoutput.RelationColumn[], count: number): RowBuilder {
  let build = builders.get(columns);
  if (!build || count !== columns.length) {
    const names = columns.slice(0, count).map((c) => c.name);
    build = names.includes('__proto__')
      ? (values) => {
          const row: Record<string, unknown> = {};
          names.forEach((name, i) => setValue(row, name, values[i]));
          return row;
        }
      : (new Function(
          'v',
          `return {${names.map((name, i) => `${JSON.stringify(name)}: v[${i}]`).join(', ')}};`,
        ) as RowBuilder);
    if (count === columns.length) builders.set(columns, build);
  }
  return build;
}

class RowReader {
  private at = 0;

  constructor(private readonly buffer: Buffer) {}

  byte(): number {
    this.need(1);
    return this.buffer[this.at++];
  }

  int32(): number {
    this.need(4);
    const value = this.buffer.readInt32BE(this.at);
    this.at += 4;
    return value;
  }

  /**
   * One TupleData: text values as strings, NULL as null, and an unchanged TOASTed value (`u`) as
   * the old image's value when there is one, else undefined (the coalescer fills it in).
   */
  tuple(
    columns: Pgoutput.RelationColumn[],
    old?: Record<string, unknown> | null,
  ): Record<string, unknown> {
    this.need(2);
    const count = this.buffer.readInt16BE(this.at);
    this.at += 2;
    if (count > columns.length)
      throw new Error('pgoutput: a tuple with more columns than its relation');
    const values = new Array<unknown>(count);
    for (let i = 0; i < count; i++) {
      const kind = this.byte();
      if (kind === 0x74 /* t */ || kind === 0x62 /* b */) {
        const length = this.int32();
        this.need(length);
        values[i] =
          kind === 0x74
            ? this.buffer.toString('utf8', this.at, this.at + length)
            : Buffer.from(this.buffer.subarray(this.at, this.at + length));
        this.at += length;
      } else if (kind === 0x6e /* n */) {
        values[i] = null;
      } else if (kind === 0x75 /* u */) {
        values[i] = old ? old[columns[i].name] : undefined;
      } else {
        throw new Error(`pgoutput: unknown column kind ${String.fromCharCode(kind)}`);
      }
    }
    return rowBuilder(columns, count)(values);
  }

  private need(bytes: number): void {
    if (this.at + bytes > this.buffer.length) throw new Error('pgoutput: message ends too soon');
  }
}
