import { SyncAck } from './acknowledgements';

/** A row of `user_sync_state` without its surrogate id. */
export interface SyncState {
  user_id: number;
  device_id: string;
  app_type: string;
  last_event_id: number;
  last_sync_time: string | null;
  sync_count: number;
  is_active: boolean;
  device_info: string | null;
  app_version: string | null;
  last_event_count: number;
  total_events_synced: number;
  created_at: string;
}

/**
 * A device's state after one acknowledgement; undefined when the acknowledgement changes
 * nothing (an update for a device that never registered, a checkpoint that would move back).
 */
export function applySyncAck(current: SyncState | undefined, ack: SyncAck): SyncState | undefined {
  if (ack.type === 'sync.registered') {
    const base = current ?? {
      user_id: ack.user_id,
      device_id: ack.device_id,
      last_event_id: 0,
      last_sync_time: null,
      sync_count: 0,
      last_event_count: 0,
      total_events_synced: 0,
      created_at: ack.at,
    };
    return {
      ...base,
      app_type: ack.app_type,
      device_info: ack.device_info ?? current?.device_info ?? null,
      app_version: ack.app_version ?? current?.app_version ?? null,
      is_active: true,
    };
  }
  if (!current) return undefined;
  // A v2 token acknowledged twice, or an older token after a newer one, must not move back.
  if (ack.type === 'sync.acknowledged' && ack.last_event_id <= current.last_event_id) {
    return undefined;
  }
  return {
    ...current,
    last_event_id: ack.last_event_id,
    last_sync_time: ack.at,
    sync_count: current.sync_count + 1,
    last_event_count: ack.events_synced,
    total_events_synced: current.total_events_synced + ack.events_synced,
    is_active: true,
  };
}
