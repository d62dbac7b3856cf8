import { ColumnDescriptor } from '@odoo-stream/events';

/**
 * A row as pgoutput sends it, in text form: null is SQL NULL; undefined is a TOASTed value the
 * change left untouched and the server did not resend.
 */
export type TextRow = Record<string, string | null | undefined>;

/** One INSERT, UPDATE or DELETE of one row, as decoded from the WAL. */
export interface RowChange {
  kind: 'insert' | 'update' | 'delete';
  table: string;
  columns: ColumnDescriptor[];
  /** The row before: the whole row under REPLICA IDENTITY FULL, else only its key, or nothing. */
  old: TextRow | null;
  new: TextRow | null;
}
