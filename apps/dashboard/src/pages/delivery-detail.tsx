import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import { Delivery } from '../api/types';
import { useApi } from '../api/use-api';
import { Time } from '../components/time';
import { routeHref } from '../logic/route';

interface Attempt {
  attempt: number;
  status: string;
  http_status: number | null;
  duration_ms: number | null;
  error_class: string | null;
  error_message: string | null;
  response_excerpt: string | null;
  at: string;
}

type DeliveryDetailData = Omit<Delivery, 'attempts'> & {
  attempts: Attempt[];
  body: unknown;
  response_excerpt: string | null;
};

/** One delivery with every attempt; retry it. */
export function DeliveryDetail({ id }: { id: string }) {
  const {
    data: d,
    error,
    reload,
  } = useApi<DeliveryDetailData>(id ? `/api/deliveries/${encodeURIComponent(id)}` : null, 3000);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  if (!d) return <p aria-busy={!error}>{error ?? 'Loading the delivery…'}</p>;
  const retry = async () => {
    setMessage(undefined);
    try {
      await api('POST', `/api/deliveries/${encodeURIComponent(d.delivery_id)}/retry`);
      setMessage({
        ok: true,
        text: 'Retry sent: a new attempt appears below once the dispatcher has made it.',
      });
      reload();
    } catch (err) {
      setMessage({ ok: false, text: err instanceof ApiError ? err.message : String(err) });
    }
  };
  return (
    <>
      <nav aria-label="breadcrumb">
        <ul>
          <li>
            <a href={routeHref('deliveries', { subscriber: d.subscriber_id })}>Deliveries</a>
          </li>
          <li>{d.delivery_id}</li>
        </ul>
      </nav>
      <h1>
        Delivery{' '}
        <span class={`badge ${d.status}`} data-testid="delivery-status">
          {d.status}
        </span>
      </h1>
      <p>
        <a href={routeHref('subscriber', { id: d.subscriber_id })}>Subscriber {d.subscriber_id}</a>;{' '}
        <a href={routeHref('event', { id: d.event_id })}>
          {d.event} {d.model} {d.record_id}
        </a>
        {d.replay_id ? `; sent again by replay ${d.replay_id}` : ''}
      </p>
      <button onClick={retry}>Retry now</button>
      {message && (
        <p role="status" class={message.ok ? undefined : 'form-error'}>
          {message.text}
        </p>
      )}
      <h2>Attempts</h2>
      <div class="table-scroll">
        <table>
          <thead>
            <tr>
              <th>#</th>
              <th>At</th>
              <th>Status</th>
              <th>HTTP</th>
              <th>Time</th>
              <th>Answer</th>
            </tr>
          </thead>
          <tbody>
            {d.attempts.map((a) => (
              <tr key={a.attempt}>
                <td>{a.attempt}</td>
                <td>
                  <Time at={a.at} />
                </td>
                <td>
                  <span class={`badge ${a.status}`}>{a.status}</span>
                </td>
                <td>{a.http_status ?? ''}</td>
                <td>{a.duration_ms === null ? '' : `${a.duration_ms} ms`}</td>
                <td class="value">
                  {[a.error_message, a.response_excerpt].filter(Boolean).join(' — ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <details>
        <summary>Body sent</summary>
        <pre>
          {d.body === null ? 'not kept (too large for the log)' : JSON.stringify(d.body, null, 2)}
        </pre>
      </details>
    </>
  );
}
