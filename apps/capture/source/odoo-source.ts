import { Client, ClientConfig } from 'pg';
import { StartupError } from '@odoo-stream/runtime';

export interface TrackedTable {
  model: string;
  table: string;
}

export interface SlotState {
  exists: boolean;
  activePid: number | null;
  confirmedFlushLsn: string | null;
  plugin: string | null;
}

/** Text in, text out: capture converts every value itself (column-types.ts), exactly. */
export const TEXT_TYPES = { getTypeParser: () => (value: string) => value };

/** The Odoo database as capture sees it: catalog look-ups and the objects replication needs. */
export class OdooSource {
  constructor(private readonly client: Client) {}

  static async connect(url: string): Promise<OdooSource> {
    const client = new Client({ connectionString: url, types: TEXT_TYPES } as ClientConfig);
    await client.connect();
    return new OdooSource(client);
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }

  async databaseName(): Promise<string> {
    return (await this.client.query<{ db: string }>('SELECT current_database() AS db')).rows[0].db;
  }

  /**
   * Maps tracked models to their tables through ir_model (sale.order -> sale_order). A model that
   * is not installed (absent from ir_model, or without its table) is reported and skipped.
   */
  async resolveTables(models: string[]): Promise<{ tables: TrackedTable[]; skipped: string[] }> {
    const hasIrModel = await this.client.query(
      `SELECT to_regclass('public.ir_model') IS NOT NULL AS ok`,
    );
    if (hasIrModel.rows[0].ok !== 't') {
      throw new StartupError(
        'ODOO_DATABASE_URL names a database without an ir_model table: point it at an Odoo database',
      );
    }
    const { rows } = await this.client.query<{ model: string; table_exists: string }>(
      `SELECT m.model, to_regclass('public.' || quote_ident(replace(m.model, '.', '_'))) IS NOT NULL AS table_exists
         FROM ir_model m WHERE m.model = ANY($1)`,
      [models],
    );
    const installed = new Set(rows.filter((r) => r.table_exists === 't').map((r) => r.model));
    return {
      tables: models
        .filter((m) => installed.has(m))
        .map((model) => ({ model, table: model.replace(/\./g, '_') })),
      skipped: models.filter((m) => !installed.has(m)),
    };
  }

  /** Replication needs the REPLICATION attribute (or superuser); say which role lacks it. */
  async checkReplicationRole(): Promise<void> {
    const { rows } = await this.client.query<{ role: string; ok: string }>(
      `SELECT current_user AS role, (rolreplication OR rolsuper) AS ok FROM pg_roles WHERE rolname = current_user`,
    );
    if (rows[0]?.ok !== 't') {
      throw new StartupError(
        `role '${rows[0]?.role}' of ODOO_DATABASE_URL may not replicate: run ALTER ROLE "${rows[0]?.role}" REPLICATION as a superuser`,
      );
    }
  }

  /** REPLICA IDENTITY FULL puts the whole row before the change in the WAL: exact before images. */
  async useFullReplicaIdentity(tables: TrackedTable[]): Promise<string[]> {
    const { rows } = await this.client.query<{ relname: string }>(
      `SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relname = ANY($1) AND relreplident <> 'f'`,
      [tables.map((t) => t.table)],
    );
    for (const { relname } of rows) {
      await this.client.query(`ALTER TABLE public.${quoteIdent(relname)} REPLICA IDENTITY FULL`);
    }
    return rows.map((r) => r.relname);
  }

  /** Creates the publication, or sets its tables to exactly the tracked ones. */
  async ensurePublication(name: string, tables: TrackedTable[]): Promise<void> {
    const list = tables.map((t) => `public.${quoteIdent(t.table)}`).join(', ');
    const exists = await this.client.query('SELECT 1 FROM pg_publication WHERE pubname = $1', [
      name,
    ]);
    if (exists.rowCount)
      await this.client.query(`ALTER PUBLICATION ${quoteIdent(name)} SET TABLE ${list}`);
    else await this.client.query(`CREATE PUBLICATION ${quoteIdent(name)} FOR TABLE ${list}`);
  }

  async slot(name: string): Promise<SlotState> {
    const { rows } = await this.client.query<{
      active_pid: string | null;
      confirmed_flush_lsn: string | null;
      plugin: string;
    }>(
      'SELECT active_pid, confirmed_flush_lsn, plugin FROM pg_replication_slots WHERE slot_name = $1',
      [name],
    );
    if (!rows.length)
      return { exists: false, activePid: null, confirmedFlushLsn: null, plugin: null };
    const row = rows[0];
    return {
      exists: true,
      activePid: row.active_pid === null ? null : Number(row.active_pid),
      confirmedFlushLsn: row.confirmed_flush_lsn,
      plugin: row.plugin,
    };
  }

  async dropSlot(name: string): Promise<void> {
    await this.client.query('SELECT pg_drop_replication_slot($1)', [name]);
  }

  async query<R extends Record<string, unknown>>(sql: string, params: unknown[] = []) {
    return this.client.query<R>(sql, params);
  }
}

/**
 * Creates the slot on a replication connection and exports its snapshot: while the returned
 * connection stays open, another session can read exactly the rows as of the slot's start.
 */
export async function createSlotWithSnapshot(
  url: string,
  slot: string,
): Promise<{ connection: Client; consistentPoint: string; snapshotName: string }> {
  const connection = new Client({ connectionString: url, replication: 'database' } as ClientConfig);
  await connection.connect();
  const { rows } = await connection.query<{ consistent_point: string; snapshot_name: string }>(
    `CREATE_REPLICATION_SLOT ${quoteIdent(slot)} LOGICAL pgoutput EXPORT_SNAPSHOT`,
  );
  return {
    connection,
    consistentPoint: rows[0].consistent_point,
    snapshotName: rows[0].snapshot_name,
  };
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
