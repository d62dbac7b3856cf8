import { SyncAck } from './acknowledgements';
import { applySyncAck, SyncState } from './sync-state-reducer';

const device = { user_id: 5, device_id: 'phone-1' };
const registered: SyncAck = {
  type: 'sync.registered',
  ack_id: 'a1',
  ...device,
  app_type: 'sales_app',
  device_info: 'Pixel 8',
  app_version: '2.1.0',
  at: '2026-11-22T10:00:00.000Z',
};
const moved = (type: 'sync.updated' | 'sync.acknowledged', last: number, n: number): SyncAck => ({
  type,
  ack_id: `a-${last}`,
  ...device,
  last_event_id: last,
  events_synced: n,
  at: '2026-11-22T10:05:00.000Z',
});

describe('applySyncAck', () => {
  let state: SyncState;
  beforeEach(() => {
    state = applySyncAck(undefined, registered) as SyncState;
  });

  it('creates a device at checkpoint 0 when it registers', () => {
    expect(state).toEqual({
      ...device,
      app_type: 'sales_app',
      last_event_id: 0,
      last_sync_time: null,
      sync_count: 0,
      is_active: true,
      device_info: 'Pixel 8',
      app_version: '2.1.0',
      last_event_count: 0,
      total_events_synced: 0,
      created_at: registered.at,
    });
  });

  it('keeps the checkpoint when a device registers again, taking its new version', () => {
    const synced = applySyncAck(state, moved('sync.updated', 40, 40)) as SyncState;
    const again = applySyncAck(synced, { ...registered, app_version: '2.2.0', device_info: null });
    expect(again).toMatchObject({
      last_event_id: 40,
      app_version: '2.2.0',
      device_info: 'Pixel 8',
    });
  });

  it('counts syncs and events on each update', () => {
    const once = applySyncAck(state, moved('sync.updated', 40, 40)) as SyncState;
    const twice = applySyncAck(once, moved('sync.updated', 55, 15)) as SyncState;
    expect(twice).toMatchObject({
      last_event_id: 55,
      sync_count: 2,
      last_event_count: 15,
      total_events_synced: 55,
      last_sync_time: '2026-11-22T10:05:00.000Z',
    });
  });

  it('moves a v2 checkpoint forward only, so a repeated or stale token changes nothing', () => {
    const acked = applySyncAck(state, moved('sync.acknowledged', 40, 40)) as SyncState;
    expect(acked.last_event_id).toBe(40);
    expect(applySyncAck(acked, moved('sync.acknowledged', 40, 40))).toBeUndefined();
    expect(applySyncAck(acked, moved('sync.acknowledged', 12, 12))).toBeUndefined();
  });

  it('ignores updates of a device that never registered', () => {
    expect(applySyncAck(undefined, moved('sync.updated', 40, 40))).toBeUndefined();
  });
});
