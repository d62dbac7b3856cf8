import { useApi } from '../api/use-api';
import { Overview as OverviewData } from '../api/types';
import { LineChart, Sparkline } from '../components/chart';
import { formatBytes, formatCount, lagTrend } from '../logic/format';
import { routeHref } from '../logic/route';

/** Throughput, lags and alerts, refreshed every three seconds. */
export function Overview() {
  const { data, error } = useApi<OverviewData>('/api/overview', 3000);
  if (!data) return <p aria-busy={!error}>{error ?? 'Loading the overview…'}</p>;
  const { capture, changes, consumers, alerts } = data;
  const times = changes.minutes.map((m) => Date.parse(m) / 1000);
  const lastMinute = changes.models.reduce((sum, m) => sum + (m.per_second.at(-1) ?? 0), 0);
  return (
    <>
      <h1>Overview</h1>
      {error && <p class="form-error">{error} (showing the last answer)</p>}
      <section class="grid-cards" aria-label="capture">
        <article>
          <header>Capture lag</header>
          <div class="figure" data-testid="capture-lag-seconds">
            {capture.lag_seconds.toFixed(1)} s
          </div>
          <span data-testid="capture-lag-bytes">{formatBytes(capture.lag_bytes)}</span> of WAL
          behind
        </article>
        <article>
          <header>Capture</header>
          <span class={`badge ${capture.status}`}>{capture.status}</span>{' '}
          <span class="muted">slot {capture.slot}</span>
        </article>
        <article>
          <header>Changes per second</header>
          <div class="figure">{lastMinute.toFixed(1)}</div>
          <span class="muted">this minute, all models</span>
        </article>
        <article>
          <header>Alerts</header>
          <div class="figure">{alerts.length}</div>
        </article>
      </section>
      {alerts.length > 0 && (
        <section aria-label="alerts">
          <h2>Alerts</h2>
          <ul>
            {alerts.map((a, i) => (
              <li key={i} class="alert">
                {a.subscriber_id ? (
                  <a
                    href={
                      a.kind === 'dead-deliveries'
                        ? routeHref('deliveries', { subscriber: a.subscriber_id, status: 'dead' })
                        : routeHref('subscriber', { id: a.subscriber_id })
                    }
                  >
                    {a.message}
                  </a>
                ) : (
                  a.message
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section>
        <h2>Changes per second, last hour</h2>
        {changes.models.length === 0 ? (
          <p class="muted">No changes captured in the last hour.</p>
        ) : (
          <LineChart
            label="changes/s"
            times={times}
            series={changes.models.map((m) => ({ name: m.model, values: m.per_second }))}
          />
        )}
      </section>
      <section>
        <h2>Consumers</h2>
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th>Consumer</th>
                <th>State</th>
                <th>Lag (events)</th>
                <th>Trend</th>
              </tr>
            </thead>
            <tbody>
              {consumers.map((c) => (
                <tr key={c.group} data-consumer={c.name}>
                  <td>
                    <a href={routeHref('consumers', { consumer: c.name })}>{c.name}</a>
                  </td>
                  <td>
                    <span class={`badge ${c.state}`}>{c.state}</span>
                  </td>
                  <td data-testid="consumer-lag">{formatCount(c.lag)}</td>
                  <td>
                    <Sparkline points={c.trend} /> <span class="muted">{lagTrend(c.trend)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
