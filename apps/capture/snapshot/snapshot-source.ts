import { Client, ClientConfig, FieldDef } from 'pg';
import { Logger } from 'pino';
import { ColumnDescriptor } from '@odoo-stream/events';
import { TextRow } from '../coalescing/row-change';
import { quoteIdent, TEXT_TYPES, TrackedTable } from '../source/odoo-source';

export type SnapshotRows = (
  table: TrackedTable,
  columns: ColumnDescriptor[],
  rows: TextRow[],
) => Promise<void>;

/**
 * Reads the tracked tables as they were when the slot was created, inside the snapshot the slot
 * exported, so that streaming from the slot's position continues with no gap and no overlap.
 */
export class SnapshotSource {
  constructor(
    private readonly url: string,
    private readonly logger: Logger,
    private readonly batchSize = 2000,
  ) {}

  /**
   * Reads the tables in the exported snapshot `snapshotName`, or, without one (a model added to
   * TRACKED_MODELS later), in a snapshot of its own taken now.
   */
  async read(
    snapshotName: string | undefined,
    tables: TrackedTable[],
    emit: SnapshotRows,
  ): Promise<number> {
    const client = new Client({ connectionString: this.url, types: TEXT_TYPES } as ClientConfig);
    await client.connect();
    let total = 0;
    try {
      this.logger.info(
        { step: 'snapshot.begin', snapshot: snapshotName },
        'snapshot: reading tracked tables in the slot snapshot',
      );
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      if (snapshotName)
        await client.query(`SET TRANSACTION SNAPSHOT '${snapshotName.replace(/'/g, "''")}'`);
      const counts = new Map<string, number>();
      for (const table of tables) {
        const { rows } = await client.query<{ n: string }>(
          `SELECT count(*) AS n FROM public.${quoteIdent(table.table)}`,
        );
        counts.set(table.table, Number(rows[0].n));
      }
      for (const table of tables) {
        const expected = counts.get(table.table) ?? 0;
        let done = 0;
        await client.query(
          `DECLARE snapshot_rows NO SCROLL CURSOR FOR SELECT * FROM public.${quoteIdent(table.table)} ORDER BY id`,
        );
        for (;;) {
          const result = await client.query<TextRow>(`FETCH ${this.batchSize} FROM snapshot_rows`);
          if (result.rows.length === 0) break;
          await emit(table, columnsOf(result.fields), result.rows);
          done += result.rows.length;
          if (done < expected) {
            this.logger.info(
              { step: 'snapshot.rows', model: table.model, done, total: expected },
              `snapshot: ${table.model} ${done}/${expected} rows`,
            );
          }
        }
        await client.query('CLOSE snapshot_rows');
        total += done;
        this.logger.info(
          { step: 'snapshot.table', model: table.model, done, total: expected },
          `snapshot: ${table.model} ${done}/${expected} rows, done`,
        );
      }
      await client.query('COMMIT');
      return total;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

function columnsOf(fields: FieldDef[]): ColumnDescriptor[] {
  return fields.map((f) => ({ name: f.name, typeOid: f.dataTypeID, typeMod: f.dataTypeModifier }));
}
