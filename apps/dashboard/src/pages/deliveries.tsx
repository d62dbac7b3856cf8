import { AlertLine } from '../components/alert-line';
import { Paged } from '../api/client';
import { Delivery } from '../api/types';
import { useApi } from '../api/use-api';
import { usePagedList } from '../api/use-paged-list';
import { filterSubmit } from '../components/filter-submit';
import { Pager } from '../components/pager';
import { Time } from '../components/time';
import { routeHref } from '../logic/route';

const STATUSES = ['', 'pending', 'processing', 'sent', 'failed', 'dead'];

/** The delivery log, newest first: by subscriber, status, model and time. */
export function Deliveries({ params }: { params: Record<string, string> }) {
  const list = usePagedList<Delivery>(
    '/api/deliveries',
    {
      subscriber: params.subscriber,
      status: params.status,
      model: params.model,
      since: params.since ? new Date(params.since).toISOString() : undefined,
      limit: 50,
    },
    5000,
  );
  const { data, error, loading } = list;
  const subscribers = useApi<Paged<{ id: number; name: string }>>('/api/subscribers?limit=1000');
  const names = new Map(subscribers.data?.data.map((s) => [s.id, s.name]));

  const apply = filterSubmit('deliveries', list.restart);

  return (
    <>
      <h1>Deliveries</h1>
      <form class="filters" onSubmit={apply} aria-label="filter deliveries">
        <label>
          Subscriber
          <select name="subscriber" value={params.subscriber ?? ''}>
            <option value="">any</option>
            {subscribers.data?.data.map((s) => (
              <option key={s.id} value={String(s.id)}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select name="status" value={params.status ?? ''}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s || 'any'}
              </option>
            ))}
          </select>
        </label>
        <label>
          Model
          <input name="model" placeholder="sale.order" value={params.model ?? ''} />
        </label>
        <label>
          Last attempt since
          <input name="since" type="datetime-local" step="1" value={params.since ?? ''} />
        </label>
        <button type="submit">Show</button>
      </form>
      <AlertLine message={error} />
      <div class="table-scroll" aria-busy={loading && !data}>
        <table>
          <thead>
            <tr>
              <th>First attempt</th>
              <th>Subscriber</th>
              <th>Event</th>
              <th>Status</th>
              <th>Attempts</th>
              <th>Answer</th>
            </tr>
          </thead>
          <tbody>
            {data?.data.map((d) => (
              <tr key={d.delivery_id} data-status={d.status}>
                <td>
                  <a href={routeHref('delivery', { id: d.delivery_id })}>
                    {d.first_attempt_at ? <Time at={d.first_attempt_at} /> : 'waiting'}
                  </a>
                </td>
                <td>{names.get(d.subscriber_id) ?? d.subscriber_id}</td>
                <td>
                  <a href={routeHref('timeline', { model: d.model, id: d.record_id })}>
                    {d.event} {d.model} {d.record_id}
                  </a>
                </td>
                <td>
                  <span class={`badge ${d.status}`}>{d.status}</span>
                </td>
                <td>{d.attempts}</td>
                <td class="value">
                  {d.http_status ?? ''} {d.error_message ?? ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {data && data.data.length === 0 && <p class="muted">No deliveries match.</p>}
      </div>
      <Pager cursors={list.cursors} next={data?.next_cursor} onChange={list.setCursors} />
    </>
  );
}
