import { AlertLine } from '../components/alert-line';
import { usePagedList } from '../api/use-paged-list';
import { filterSubmit } from '../components/filter-submit';
import { Pager } from '../components/pager';
import { Time } from '../components/time';
import { formatCount } from '../logic/format';
import { routeHref } from '../logic/route';

interface Device {
  id: number;
  user_id: number;
  device_id: string;
  app_type: string;
  last_event_id: number;
  last_sync_time: string | null;
  sync_count: number;
  is_active: boolean;
  app_version: string | null;
  total_events_synced: number;
  events_behind: number;
  behind_capped: boolean;
}

/** Smart-sync devices by user and app type: checkpoints and how far behind the feed. */
export function Devices({ params }: { params: Record<string, string> }) {
  const list = usePagedList<Device>(
    '/api/devices',
    { user_id: params.user_id, app_type: params.app_type, limit: 100 },
    5000,
  );
  const { data, error } = list;
  const apply = filterSubmit('devices', list.restart);
  return (
    <>
      <h1>Devices</h1>
      <form class="filters" onSubmit={apply} aria-label="filter devices">
        <label>
          Odoo user id
          <input name="user_id" inputMode="numeric" value={params.user_id ?? ''} />
        </label>
        <label>
          App type
          <input name="app_type" placeholder="sales_app" value={params.app_type ?? ''} />
        </label>
        <button type="submit">Show</button>
      </form>
      <AlertLine message={error} />
      <div class="table-scroll">
        <table>
          <thead>
            <tr>
              <th>User</th>
              <th>Device</th>
              <th>App type</th>
              <th>Checkpoint</th>
              <th>Behind</th>
              <th>Last sync</th>
              <th>Syncs</th>
              <th>Version</th>
            </tr>
          </thead>
          <tbody>
            {data?.data.map((d) => (
              <tr key={d.id}>
                <td>{d.user_id}</td>
                <td>
                  {d.device_id} {!d.is_active && <span class="badge stopped">inactive</span>}
                </td>
                <td>{d.app_type}</td>
                <td>{d.last_event_id}</td>
                <td>
                  {d.behind_capped ? 'more than ' : ''}
                  {formatCount(d.events_behind)} events
                </td>
                <td>
                  <Time at={d.last_sync_time} />
                </td>
                <td>{d.sync_count}</td>
                <td>{d.app_version ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {data && data.data.length === 0 && (
          <p class="muted">
            No devices have registered. Devices register with POST /api/v2/devices (see{' '}
            <a href={routeHref('overview')}>the overview</a> for the feed).
          </p>
        )}
      </div>
      <Pager cursors={list.cursors} next={data?.next_cursor} onChange={list.setCursors} />
    </>
  );
}
