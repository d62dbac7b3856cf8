import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { decodeCursor, Page, pageOf } from '../paging/cursor';
import { BEHIND_CAP, DevicesQueryDto } from './devices-dto';
import { SyncStateView } from './sync-dto';

/** Reads of `user_sync_state`. */
@Injectable()
export class SyncStateReader {
  constructor(private readonly dataSource: DataSource) {}

  async find(userId: number, deviceId: string): Promise<(SyncStateView & Extra) | undefined> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT * FROM user_sync_state WHERE user_id = $1 AND device_id = $2`,
      [userId, deviceId],
    );
    return rows[0] ? view(rows[0]) : undefined;
  }

  /**
   * Every device, by user then device, with how many feed events follow its checkpoint (counted
   * up to BEHIND_CAP, so a device far behind costs no more than that).
   */
  async devices(q: DevicesQueryDto): Promise<Page<SyncStateView & Extra & Behind>> {
    const [afterUser, afterDevice] = q.cursor
      ? decodeCursor<[number, string]>(q.cursor, ['number', 'string'])
      : [null, null];
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT s.*, (SELECT count(*) FROM (SELECT 1 FROM update_webhook w
           WHERE w.id > s.last_event_id LIMIT ${BEHIND_CAP + 1}) behind)::int AS behind
       FROM user_sync_state s
       WHERE ($1::bigint IS NULL OR s.user_id = $1) AND ($2::text IS NULL OR s.app_type = $2)
         AND ($4::bigint IS NULL OR (s.user_id, s.device_id) > ($4, $5))
       ORDER BY s.user_id, s.device_id LIMIT $3 + 1`,
      [q.user_id ?? null, q.app_type ?? null, q.limit, afterUser, afterDevice],
    );
    const devices = rows.map((row) => ({
      ...view(row),
      events_behind: Math.min(Number(row.behind), BEHIND_CAP),
      behind_capped: Number(row.behind) > BEHIND_CAP,
    }));
    return pageOf(devices, q.limit, (d) => [d.user_id, d.device_id]);
  }

  /**
   * As the add-on computes them: with a user, totals and `devices` over all of that user's
   * devices; without one, totals over the devices the filters select and no `devices`.
   * `by_app_type` counts the devices every filter selects, with every app type present.
   */
  async stats(
    query: { user_id?: number; device_id?: string; app_type?: string },
    appTypes: string[],
  ) {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT * FROM user_sync_state WHERE $1::bigint IS NULL OR user_id = $1 ORDER BY id`,
      [query.user_id ?? null],
    );
    const userDevices = rows.map(view);
    const selected = userDevices.filter(
      (d) =>
        (!query.device_id || d.device_id === query.device_id) &&
        (!query.app_type || d.app_type === query.app_type),
    );
    const counted = query.user_id ? userDevices : selected;
    const times = counted.flatMap((d) => (d.last_sync_time ? [d.last_sync_time] : [])).sort();
    return {
      user_id: query.user_id ?? null,
      total_devices: counted.length,
      active_devices: counted.filter((d) => d.is_active).length,
      total_syncs: counted.reduce((n, d) => n + d.sync_count, 0),
      total_events_synced: counted.reduce((n, d) => n + d.total_events_synced, 0),
      last_sync_time: times.length > 0 ? times[times.length - 1] : null,
      devices: query.user_id
        ? userDevices.map((d) => ({
            device_id: d.device_id,
            app_type: d.app_type,
            last_sync_time: d.last_sync_time,
            sync_count: d.sync_count,
            total_events_synced: d.total_events_synced,
            is_active: d.is_active,
          }))
        : [],
      by_app_type: Object.fromEntries(
        appTypes.map((t) => [t, selected.filter((d) => d.app_type === t).length]),
      ),
    };
  }
}

interface Behind {
  events_behind: number;
  behind_capped: boolean;
}

interface Extra {
  device_info: string | null;
  app_version: string | null;
  last_event_count: number;
  total_events_synced: number;
  created_at: string;
}

function view(row: Record<string, unknown>): SyncStateView & Extra {
  return {
    id: Number(row.id),
    user_id: Number(row.user_id),
    device_id: row.device_id as string,
    app_type: row.app_type as string,
    last_event_id: Number(row.last_event_id),
    last_sync_time: row.last_sync_time ? (row.last_sync_time as Date).toISOString() : null,
    sync_count: Number(row.sync_count),
    is_active: row.is_active as boolean,
    total_events_synced: Number(row.total_events_synced),
    device_info: row.device_info as string | null,
    app_version: row.app_version as string | null,
    last_event_count: Number(row.last_event_count),
    created_at: (row.created_at as Date).toISOString(),
  };
}
