import { AlertLine } from '../components/alert-line';
import { useState } from 'preact/hooks';
import { TimelineEntry } from '../api/types';
import { useApi } from '../api/use-api';
import { Time } from '../components/time';
import { routeHref } from '../logic/route';

/** Every event of one record, who got each and when, and whether the feed has it. */
export function Timeline({ model, id }: { model: string; id: string }) {
  const [form, setForm] = useState({ model, id });
  const path =
    model && id
      ? `/api/records/${encodeURIComponent(model)}/${encodeURIComponent(id)}/timeline`
      : null;
  const { data, error } = useApi<{ events: TimelineEntry[] }>(path);
  const open = (e: Event) => {
    e.preventDefault();
    location.hash = routeHref('timeline', { model: form.model.trim(), id: form.id.trim() });
  };
  return (
    <>
      <h1>Record timeline</h1>
      <form class="filters" onSubmit={open} aria-label="choose a record">
        <label>
          Model
          <input
            name="model"
            placeholder="sale.order"
            value={form.model}
            onInput={(e) => setForm({ ...form, model: e.currentTarget.value })}
          />
        </label>
        <label>
          Record id
          <input
            name="id"
            inputMode="numeric"
            placeholder="4711"
            value={form.id}
            onInput={(e) => setForm({ ...form, id: e.currentTarget.value })}
          />
        </label>
        <button type="submit">Show</button>
      </form>
      <AlertLine message={error} />
      {data && data.events.length === 0 && (
        <p class="muted">
          No events of {model} {id} in the index.
        </p>
      )}
      {data && data.events.length > 0 && (
        <ol class="timeline" aria-label={`events of ${model} ${id}`}>
          {data.events.map((e) => (
            <li key={e.event_id} data-event-id={e.event_id}>
              <a href={routeHref('event', { id: e.event_id })}>
                <span class={`badge ${e.op}`}>{e.op}</span> <Time at={e.timestamp} />
              </a>{' '}
              {e.op === 'write' && e.changed_fields.length > 0 && (
                <span class="muted">{e.changed_fields.join(', ')}</span>
              )}
              <div>
                Feed:{' '}
                {e.feed ? (
                  <span data-testid="in-feed">
                    id {e.feed.id}
                    {e.feed.is_processed ? ', processed' : ''}
                  </span>
                ) : (
                  <span class="muted">not in the feed</span>
                )}
              </div>
              {e.deliveries.length === 0 ? (
                <div class="muted">No webhook deliveries.</div>
              ) : (
                <ul>
                  {e.deliveries.map((d) => (
                    <li key={d.delivery_id}>
                      <a href={routeHref('delivery', { id: d.delivery_id })}>
                        {d.subscriber_name ?? `subscriber ${d.subscriber_id}`}
                      </a>
                      : <span class={`badge ${d.status}`}>{d.status}</span>
                      {d.delivered_at ? (
                        <>
                          {' '}
                          at <Time at={d.delivered_at} />
                        </>
                      ) : null}{' '}
                      <span class="muted">
                        ({d.attempts} attempt{d.attempts === 1 ? '' : 's'})
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
