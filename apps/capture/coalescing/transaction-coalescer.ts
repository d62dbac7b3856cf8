import { ColumnDescriptor } from '@odoo-stream/events';
import { RowChange, TextRow } from './row-change';
import { StoredRow, TransactionRowStore } from './transaction-row-store';

/** What one transaction did to one record, however many statements it took. */
export interface CoalescedChange {
  table: string;
  recordId: number;
  op: 'create' | 'write' | 'unlink';
  columns: ColumnDescriptor[];
  before: TextRow | null;
  after: TextRow | null;
  changedFields: string[];
}

interface Pending {
  table: string;
  recordId: number;
  /** The record existed before the transaction (its first change was not an INSERT). */
  existedBefore: boolean;
  exists: boolean;
  columns: ColumnDescriptor[];
  before: StoredRow | null;
  after: StoredRow | null;
  changed: Set<string>;
  /** Whether `changed` is exact (old images were known) or only "every column". */
  changedKnown: boolean;
}

/**
 * Folds a transaction's row changes into one change per record: the first before image, the last
 * after image and the union of changed fields. Odoo's ORM inserts and then writes computed
 * fields, or updates one row several times, within one transaction; consumers see one event.
 * An INSERT then DELETE of the same record in one transaction leaves nothing.
 */
export class TransactionCoalescer {
  private readonly pending = new Map<string, Pending>();

  /** Without a store, every row image stays in memory. */
  constructor(private readonly rows: TransactionRowStore = new TransactionRowStore(Infinity)) {}

  get size(): number {
    return this.pending.size;
  }

  add(change: RowChange): void {
    const image = change.new ?? change.old;
    const recordId = Number(image?.id);
    if (!Number.isFinite(recordId)) {
      throw new Error(`a ${change.kind} on ${change.table} carries no id`);
    }
    const key = `${change.table}\u0000${recordId}`;
    let entry = this.pending.get(key);
    if (!entry) {
      entry = {
        table: change.table,
        recordId,
        existedBefore: change.kind !== 'insert',
        exists: change.kind !== 'insert',
        columns: change.columns,
        before: change.kind === 'insert' || !change.old ? null : this.rows.put(change.old),
        after: null,
        changed: new Set(),
        changedKnown: true,
      };
      this.pending.set(key, entry);
    }
    entry.columns = change.columns;

    switch (change.kind) {
      case 'insert': {
        const after = change.new as TextRow;
        entry.exists = true;
        this.markChanged(entry, fullOrNull(this.read(entry.before), change.columns), after);
        entry.after = this.rows.put(after);
        break;
      }
      case 'update': {
        const previousAfter = this.read(entry.after);
        const after = withUntouchedValues(change.new ?? {}, previousAfter ?? change.old);
        this.markChanged(entry, fullOrNull(change.old, change.columns) ?? previousAfter, after);
        entry.after = this.rows.put(after);
        entry.exists = true;
        break;
      }
      case 'delete':
        entry.exists = false;
        entry.after = null;
        break;
    }
  }

  /** The transaction's changes, one per record, in the order the records were first touched. */
  changes(): CoalescedChange[] {
    const result: CoalescedChange[] = [];
    for (const entry of this.pending.values()) {
      if (!entry.existedBefore && !entry.exists) continue; // created and deleted within
      const op = !entry.existedBefore ? 'create' : entry.exists ? 'write' : 'unlink';
      const changedFields =
        op === 'unlink'
          ? []
          : op === 'create' || !entry.changedKnown
            ? entry.columns.map((c) => c.name)
            : entry.columns.map((c) => c.name).filter((name) => entry.changed.has(name));
      result.push({
        table: entry.table,
        recordId: entry.recordId,
        op,
        columns: entry.columns,
        before: this.read(entry.before),
        after: this.read(entry.after),
        changedFields,
      });
    }
    return result;
  }

  private read(stored: StoredRow | null): TextRow | null {
    return stored ? this.rows.get(stored) : null;
  }

  /** Without an image to compare with (no REPLICA IDENTITY FULL), every column counts as changed. */
  private markChanged(entry: Pending, reference: TextRow | null, next: TextRow): void {
    if (!reference) {
      entry.changedKnown = false;
      return;
    }
    for (const column of entry.columns) {
      if (reference[column.name] !== next[column.name]) entry.changed.add(column.name);
    }
  }
}

/** Values pgoutput did not resend (unchanged TOAST) are taken from the image before. */
function withUntouchedValues(next: TextRow, previous: TextRow | null): TextRow {
  let row = next;
  for (const name in next) {
    if (next[name] === undefined && previous && previous[name] !== undefined) {
      // Copied only when a value is missing: the common row needs no copy.
      if (row === next) row = { ...next };
      row[name] = previous[name];
    }
  }
  return row;
}

function fullOrNull(row: TextRow | null, columns: ColumnDescriptor[]): TextRow | null {
  return row !== null && columns.every((c) => c.name in row) ? row : null;
}
