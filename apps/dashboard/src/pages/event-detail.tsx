import { useState } from 'preact/hooks';
import { EventDetail as EventData } from '../api/types';
import { useApi } from '../api/use-api';
import { Time } from '../components/time';
import { FieldRow, fieldRows, showValue } from '../logic/field-diff';
import { routeHref } from '../logic/route';

/** One event: the record before and after, changed fields first and highlighted. */
export function EventDetail({ id }: { id: string }) {
  const { data: e, error } = useApi<EventData>(id ? `/api/events/${encodeURIComponent(id)}` : null);
  const [showEmpty, setShowEmpty] = useState(false);
  if (!e) return <p aria-busy={!error}>{error ?? 'Loading the event…'}</p>;
  const all = fieldRows(e.before, e.after, e.changed_fields);
  // Odoo records carry many empty columns: hidden unless asked for.
  const empty = (v: unknown) => v === null || v === undefined || v === false || v === '';
  const shown = (r: FieldRow) => r.changed || !empty(r.before) || !empty(r.after);
  const hidden = all.filter((r) => !shown(r)).length;
  const rows = showEmpty ? all : all.filter(shown);
  return (
    <>
      <nav aria-label="breadcrumb">
        <ul>
          <li>
            <a href={routeHref('events', { model: e.model })}>Events</a>
          </li>
          <li>
            <a href={routeHref('timeline', { model: e.model, id: e.record_id })}>
              {e.model} {e.record_id}
            </a>
          </li>
          <li>{e.op}</li>
        </ul>
      </nav>
      <h1>
        <span class={`badge ${e.op}`}>{e.op}</span> {e.model} {e.record_id}
      </h1>
      <p>
        Committed <Time at={e.timestamp} />, captured <Time at={e.captured_at} />; by user{' '}
        {e.uid ?? '?'}; transaction {e.tx_id ?? '?'} at {e.lsn}; {e.kafka_topic} partition{' '}
        {e.kafka_partition} offset {e.kafka_offset}. <span class="muted">{e.event_id}</span>
      </p>
      <p>
        {e.changed_fields.length} changed: <strong>{e.changed_fields.join(', ') || 'none'}</strong>
      </p>
      <label>
        <input
          type="checkbox"
          role="switch"
          checked={showEmpty}
          onChange={(ev) => setShowEmpty(ev.currentTarget.checked)}
        />
        Show the {hidden} unchanged empty fields
      </label>
      <div class="table-scroll">
        <table aria-label="before and after">
          <thead>
            <tr>
              <th>Field</th>
              <th>Before</th>
              <th>After</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr
                key={r.field}
                class={r.changed ? 'changed' : undefined}
                data-changed={r.changed ? 'true' : undefined}
              >
                <th scope="row">{r.field}</th>
                <td class="value before">{showValue(r.before)}</td>
                <td class="value after">{showValue(r.after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
