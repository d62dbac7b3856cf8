import { AlertLine } from '../components/alert-line';
import { useEffect, useState } from 'preact/hooks';
import { api, Paged } from '../api/client';
import { Subscriber, SubscriberStats } from '../api/types';
import { useApi } from '../api/use-api';
import { routeHref } from '../logic/route';

function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)} %`;
}

/** Every subscriber with its success rate and p99 latency. */
export function Subscribers() {
  const { data, error } = useApi<Paged<Subscriber>>('/api/subscribers?limit=1000');
  const [stats, setStats] = useState<Record<number, SubscriberStats>>({});
  useEffect(() => {
    for (const s of data?.data ?? []) {
      api<SubscriberStats>('GET', `/api/subscribers/${s.id}/stats`)
        .then((st) => setStats((all) => ({ ...all, [s.id]: st })))
        .catch(() => undefined);
    }
  }, [data]);
  return (
    <>
      <h1>Subscribers</h1>
      <p>
        <a href={routeHref('subscriber', { id: 'new' })} role="button">
          New subscriber
        </a>
      </p>
      <AlertLine message={error} />
      <div class="table-scroll" aria-busy={!data && !error}>
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Endpoint</th>
              <th>State</th>
              <th>Success rate</th>
              <th>p99 latency</th>
              <th>Dead</th>
            </tr>
          </thead>
          <tbody>
            {data?.data.map((s) => (
              <tr key={s.id}>
                <td>
                  <a href={routeHref('subscriber', { id: s.id })}>{s.name}</a>
                </td>
                <td class="value">{s.endpoint_url}</td>
                <td>
                  <span class={`badge ${s.enabled ? 'running' : 'stopped'}`}>
                    {s.enabled ? 'enabled' : 'disabled'}
                  </span>
                </td>
                <td>{percent(stats[s.id]?.success_rate)}</td>
                <td>
                  {stats[s.id]?.latency_ms.p99 === null || stats[s.id] === undefined
                    ? '—'
                    : `${Math.round(stats[s.id].latency_ms.p99 ?? 0)} ms`}
                </td>
                <td>
                  {stats[s.id]?.dead ? (
                    <a href={routeHref('deliveries', { subscriber: s.id, status: 'dead' })}>
                      {stats[s.id].dead}
                    </a>
                  ) : (
                    (stats[s.id]?.dead ?? '—')
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {data && data.data.length === 0 && <p class="muted">No subscribers yet.</p>}
      </div>
    </>
  );
}
