import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TextRow } from './row-change';

/** Where a row image of an open transaction is: in memory, or at a place in the spill file. */
export type StoredRow = { row: TextRow } | { offset: number; length: number };

/** PostgreSQL text never holds NUL, so it can stand for a value pgoutput did not resend. */
const UNTOUCHED = '\u0000';

/**
 * Row images of one open transaction. The first `memoryRows` stay in memory; later ones go to a
 * temporary file and are read back when the transaction commits, so a transaction touching a
 * million records costs disk, not heap.
 */
export class TransactionRowStore {
  private inMemory = 0;
  private file?: { dir: string; fd: number; size: number };

  constructor(
    private readonly memoryRows: number,
    /** Resolved only when a transaction spills: most never do, and tmpdir() is not free. */
    private readonly spillDir?: string,
  ) {}

  get spilled(): boolean {
    return this.file !== undefined;
  }

  put(row: TextRow): StoredRow {
    if (this.inMemory < this.memoryRows) {
      this.inMemory += 1;
      return { row };
    }
    const file = (this.file ??= this.openSpillFile());
    const bytes = Buffer.from(
      JSON.stringify(row, (_key, value) => (value === undefined ? UNTOUCHED : value)),
    );
    writeSync(file.fd, bytes, 0, bytes.length, file.size);
    const stored = { offset: file.size, length: bytes.length };
    file.size += bytes.length;
    return stored;
  }

  get(stored: StoredRow): TextRow {
    if ('row' in stored) return stored.row;
    const bytes = Buffer.alloc(stored.length);
    readSync((this.file as { fd: number }).fd, bytes, 0, stored.length, stored.offset);
    const row = JSON.parse(bytes.toString()) as TextRow;
    for (const name in row) if (row[name] === UNTOUCHED) row[name] = undefined;
    return row;
  }

  /** Deletes the spill file; the store is not used afterwards. */
  close(): void {
    if (!this.file) return;
    closeSync(this.file.fd);
    rmSync(this.file.dir, { recursive: true, force: true });
    this.file = undefined;
  }

  private openSpillFile() {
    const dir = mkdtempSync(join(this.spillDir ?? tmpdir(), 'odoo-stream-tx-'));
    return { dir, fd: openSync(join(dir, 'rows'), 'w+', 0o600), size: 0 };
  }
}
