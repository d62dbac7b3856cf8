import { AlertLine } from '../components/alert-line';
import { EventSummary } from '../api/types';
import { usePagedList } from '../api/use-paged-list';
import { filterSubmit } from '../components/filter-submit';
import { Pager } from '../components/pager';
import { Time } from '../components/time';
import { routeHref } from '../logic/route';

const OPS = ['', 'create', 'write', 'unlink', 'read'];

/** Browse events by model, operation, record and time; newest first. */
export function Events({ params }: { params: Record<string, string> }) {
  const filters = {
    model: params.model,
    op: params.op,
    record_id: params.record_id,
    since: params.since ? new Date(params.since).toISOString() : undefined,
    until: params.until ? new Date(params.until).toISOString() : undefined,
  };
  const list = usePagedList<EventSummary>('/api/events', { ...filters, limit: 50 });
  const { data, error, loading } = list;

  const apply = filterSubmit('events', list.restart);

  return (
    <>
      <h1>Events</h1>
      <form class="filters" onSubmit={apply} aria-label="filter events">
        <label>
          Model
          <input name="model" placeholder="sale.order" value={params.model ?? ''} />
        </label>
        <label>
          Operation
          <select name="op" value={params.op ?? ''}>
            {OPS.map((op) => (
              <option key={op} value={op}>
                {op || 'any'}
              </option>
            ))}
          </select>
        </label>
        <label>
          Record id
          <input name="record_id" inputMode="numeric" value={params.record_id ?? ''} />
        </label>
        <label>
          Since
          <input name="since" type="datetime-local" step="1" value={params.since ?? ''} />
        </label>
        <label>
          Until
          <input name="until" type="datetime-local" step="1" value={params.until ?? ''} />
        </label>
        <button type="submit">Show</button>
      </form>
      {params.model && params.record_id && (
        <p>
          <a href={routeHref('timeline', { model: params.model, id: params.record_id })}>
            Timeline of {params.model} {params.record_id} →
          </a>
        </p>
      )}
      <AlertLine message={error} />
      <div class="table-scroll" aria-busy={loading}>
        <table>
          <thead>
            <tr>
              <th>Committed</th>
              <th>Model</th>
              <th>Record</th>
              <th>Operation</th>
              <th>Changed fields</th>
              <th>Kafka</th>
            </tr>
          </thead>
          <tbody>
            {data?.data.map((e) => (
              <tr key={e.event_id}>
                <td>
                  <a href={routeHref('event', { id: e.event_id })}>
                    <Time at={e.timestamp} />
                  </a>
                </td>
                <td>{e.model}</td>
                <td>
                  <a href={routeHref('timeline', { model: e.model, id: e.record_id })}>
                    {e.record_id}
                  </a>
                </td>
                <td>
                  <span class={`badge ${e.op}`}>{e.op}</span>
                </td>
                <td class="value">
                  {e.op === 'write' ? (
                    fieldList(e.changed_fields)
                  ) : (
                    <span class="muted">whole record</span>
                  )}
                </td>
                <td class="muted">
                  {e.kafka_partition}@{e.kafka_offset}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {data && data.data.length === 0 && <p class="muted">No events match.</p>}
      </div>
      <Pager cursors={list.cursors} next={data?.next_cursor} onChange={list.setCursors} />
    </>
  );
}

/** The first changed fields, and how many more. */
function fieldList(fields: string[]): string {
  const shown = fields.slice(0, 6).join(', ');
  return fields.length > 6 ? `${shown} +${fields.length - 6}` : shown;
}
