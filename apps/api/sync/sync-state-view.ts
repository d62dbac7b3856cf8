import { SyncStateView } from './sync-dto';

/** The add-on's field set: totals only where it showed them (after an update). */
export function publicView(state: SyncStateView, withTotals: boolean): SyncStateView {
  const view: SyncStateView = {
    id: state.id,
    user_id: state.user_id,
    device_id: state.device_id,
    app_type: state.app_type,
    last_event_id: state.last_event_id,
    last_sync_time: state.last_sync_time,
    sync_count: state.sync_count,
    is_active: state.is_active,
  };
  if (withTotals) view.total_events_synced = state.total_events_synced;
  return view;
}
