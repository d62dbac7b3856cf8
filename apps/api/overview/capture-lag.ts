import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@odoo-stream/config';
import { OdooDatabase } from '../odoo-database/odoo-database';

export interface CaptureLag {
  slot: string;
  /** Whether capture is connected to its slot now. */
  active: boolean;
  /** WAL written that capture has not confirmed yet. */
  lag_bytes: number;
  /** How long ago the WAL capture last confirmed was written (0 when it has confirmed all). */
  lag_seconds: number;
  /** Where capture stands (`not-found`: no slot of that name yet; `unknown`: no ODOO_DATABASE_URL). */
  status: 'streaming' | 'stopped' | 'not-found' | 'unknown';
}

/**
 * Capture's lag as PostgreSQL sees it: the slot's confirmed position against the current WAL,
 * and the flush lag the walsender measures from capture's feedback.
 */
@Injectable()
export class CaptureLagReader {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly odoo: OdooDatabase,
  ) {}

  async read(): Promise<CaptureLag> {
    const slot = this.config.capture.slot;
    if (!this.odoo.configured) {
      return { slot, active: false, lag_bytes: 0, lag_seconds: 0, status: 'unknown' };
    }
    const rows = await this.odoo.query<{ active: boolean; bytes: number; seconds: number }>(
      `SELECT s.active,
         GREATEST(pg_wal_lsn_diff(pg_current_wal_lsn(), s.confirmed_flush_lsn), 0)::float8 AS bytes,
         COALESCE(extract(epoch FROM r.flush_lag), 0)::float8 AS seconds
       FROM pg_replication_slots s LEFT JOIN pg_stat_replication r ON r.pid = s.active_pid
       WHERE s.slot_name = $1`,
      [slot],
    );
    if (rows.length === 0) {
      return { slot, active: false, lag_bytes: 0, lag_seconds: 0, status: 'not-found' };
    }
    const [row] = rows;
    return {
      slot,
      active: row.active,
      lag_bytes: Number(row.bytes),
      lag_seconds: Math.round(Number(row.seconds) * 1000) / 1000,
      status: row.active ? 'streaming' : 'stopped',
    };
  }
}
