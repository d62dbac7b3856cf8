import { AvroValue } from './avro/column-types';

export const CHANGE_OPS = ['create', 'write', 'unlink', 'read'] as const;
export type ChangeOp = (typeof CHANGE_OPS)[number];

export type RecordImage = Record<string, AvroValue>;

/** One change of one Odoo record, as produced to `<prefix>.<db>.<model>` (the Avro envelope). */
export interface ChangeEvent {
  event_id: string;
  db: string;
  model: string;
  record_id: number;
  op: ChangeOp;
  /** Commit time of the transaction (snapshot time for `read`), ms since the epoch. */
  ts_ms: number;
  captured_ms: number;
  tx_id: number | null;
  /** Commit LSN (snapshot LSN for `read`), as PostgreSQL prints it: 16/B374D848. */
  lsn: string;
  /** write_uid of the record after the change, where the table has it. */
  uid: number | null;
  changed_fields: string[];
  before: RecordImage | null;
  after: RecordImage | null;
}
