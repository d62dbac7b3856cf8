import { ChangeEvent, ColumnDescriptor, eventId, fromText, RecordImage } from '@odoo-stream/events';
import { CoalescedChange } from '../coalescing/transaction-coalescer';
import { TextRow } from '../coalescing/row-change';

export interface TransactionInfo {
  /** Commit LSN for streamed changes, the slot's consistent point for snapshot rows. */
  lsn: string;
  txId: number | null;
  /** Commit time (snapshot start for snapshot rows), ms. */
  committedMs: number;
}

/** Builds the event consumers see from what one transaction did to one record. No I/O. */
export class ChangeEventBuilder {
  constructor(
    private readonly db: string,
    private readonly modelOf: (table: string) => string,
    private readonly now: () => number = Date.now,
  ) {}

  build(change: CoalescedChange, tx: TransactionInfo): ChangeEvent {
    return this.assemble(change.op, change, tx);
  }

  /** A row read by the initial snapshot: op `read`, the row as it was at the slot's start. */
  buildRead(
    table: string,
    columns: ColumnDescriptor[],
    row: TextRow,
    tx: TransactionInfo,
  ): ChangeEvent {
    const recordId = Number(row.id);
    return this.assemble(
      'read',
      { table, recordId, op: 'create', columns, before: null, after: row, changedFields: [] },
      tx,
    );
  }

  private assemble(
    op: ChangeEvent['op'],
    change: CoalescedChange,
    tx: TransactionInfo,
  ): ChangeEvent {
    const after = image(change.after, change.columns);
    const before = image(change.before, change.columns);
    const uid = (after ?? before)?.write_uid;
    return {
      event_id: eventId(tx.lsn, change.table, change.recordId),
      db: this.db,
      model: this.modelOf(change.table),
      record_id: change.recordId,
      op,
      ts_ms: tx.committedMs,
      captured_ms: this.now(),
      tx_id: tx.txId,
      lsn: tx.lsn,
      uid: typeof uid === 'number' ? uid : null,
      changed_fields: change.changedFields,
      before,
      after,
    };
  }
}

type ImageReader = (row: TextRow) => RecordImage;
const readers = new WeakMap<ColumnDescriptor[], ImageReader>();

/**
 * A text row as Avro values, column by column. A column the row does not carry (a key-only before
 * image) stays undefined rather than guessed (Avro writes the schema's default, null).
 */
function image(row: TextRow | null, columns: ColumnDescriptor[]): RecordImage | null {
  if (!row) return null;
  let read = readers.get(columns);
  if (!read) readers.set(columns, (read = imageReader(columns)));
  return read(row);
}

/**
 * One relation's rows are converted by one object literal made for its columns: all images of a
 * table share a shape, where adding the values one by one costs a shape change per column.
 */
function imageReader(columns: ColumnDescriptor[]): ImageReader {
  const convert = columns.map(
    (column) => (text: string | null | undefined) =>
      text === undefined ? undefined : fromText(column, text),
  );
  if (columns.some((c) => c.name === '__proto__')) {
    return (row) => {
      const values: RecordImage = {};
      columns.forEach((column, i) => {
        const value = convert[i](row[column.name]);
        if (value !== undefined)
          Object.defineProperty(values, column.name, {
            value,
            enumerable: true,
            writable: true,
            configurable: true,
          });
      });
      return values;
    };
  }
  const body = columns
    .map((c, i) => `${JSON.stringify(c.name)}: f[${i}](r[${JSON.stringify(c.name)}])`)
    .join(', ');
  const build = new Function('r', 'f', `return {${body}};`) as (
    row: TextRow,
    f: typeof convert,
  ) => RecordImage;
  return (row) => build(row, convert);
}
