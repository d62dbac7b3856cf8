import { AlertLine } from '../components/alert-line';
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import { ConfirmDialog } from '../components/confirm-dialog';
import { Consumer, ControlRecord } from '../api/types';
import { useApi } from '../api/use-api';
import { Time } from '../components/time';
import { formatCount } from '../logic/format';
import { routeHref } from '../logic/route';
import { ReplayPanel } from './replay-panel';

const PROJECTIONS = ['feed', 'sync-state', 'deliveries', 'telegram', 'events'];

/** Every consumer with its state and lag; replay one, rebuild a projection, past replays. */
export function Consumers({ params }: { params: Record<string, string> }) {
  const consumers = useApi<Consumer[]>('/api/consumers', 2000);
  const history = useApi<ControlRecord[]>('/api/replays', 5000);
  const selected = params.consumer;
  const live = consumers.data?.find((c) => c.name === selected);
  return (
    <>
      <h1>Consumers and replay</h1>
      <AlertLine message={consumers.error} />
      <div class="table-scroll" aria-busy={!consumers.data && !consumers.error}>
        <table>
          <thead>
            <tr>
              <th>Consumer</th>
              <th>State</th>
              <th>Members</th>
              <th>Lag</th>
              <th>Last commit</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {consumers.data?.map((c) => (
              <tr key={c.group} data-consumer={c.name}>
                <td>
                  {c.name}
                  <br />
                  <small class="muted">{c.group}</small>
                </td>
                <td>
                  <span class={`badge ${c.state}`}>{c.state}</span>
                  {c.rebuild && (
                    <div>
                      <progress value={c.rebuild.done} max={Math.max(1, c.rebuild.total)} />
                      <small>
                        rebuilding: {formatCount(c.rebuild.done)} / {formatCount(c.rebuild.total)}
                      </small>
                    </div>
                  )}
                </td>
                <td>{c.members}</td>
                <td data-testid="lag">{formatCount(c.lag)}</td>
                <td>
                  <Time at={c.last_commit_at} />
                </td>
                <td>
                  <a
                    href={routeHref('consumers', { consumer: c.name })}
                    role="button"
                    class="outline"
                  >
                    Replay…
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {selected && <ReplayPanel key={selected} consumer={selected} live={live} />}
      <RebuildPanel consumers={consumers.data ?? []} onStarted={history.reload} />
      <h2>Past replays and rebuilds</h2>
      <div class="table-scroll">
        <table aria-label="past replays">
          <thead>
            <tr>
              <th>At</th>
              <th>Type</th>
              <th>Consumer</th>
              <th>What</th>
              <th>By</th>
              <th>Why</th>
            </tr>
          </thead>
          <tbody>
            {[...(history.data ?? [])].reverse().map((r) => (
              <tr key={`${r.id}-${r.status ?? ''}`}>
                <td>
                  <Time at={r.at} />
                </td>
                <td>{r.type}</td>
                <td>{r.consumer}</td>
                <td>
                  {r.type === 'replay'
                    ? r.target
                    : `${r.status}${r.events !== undefined ? `, ${formatCount(r.events)} events` : ''}`}
                </td>
                <td>{r.by}</td>
                <td>{r.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {history.data && history.data.length === 0 && <p class="muted">No replays yet.</p>}
      </div>
    </>
  );
}

/** Rebuild a projection into a fresh copy, swapped in when it has caught up. */
function RebuildPanel({ consumers, onStarted }: { consumers: Consumer[]; onStarted: () => void }) {
  const [projection, setProjection] = useState('feed');
  // What the copy reads: every partition of the projection's topics, from the start.
  const reads = consumers.find((c) => c.name === `projector.${projection}`)?.partitions ?? [];
  const events = reads.reduce((n, p) => n + Number(p.end), 0);
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const start = async () => {
    setConfirming(false);
    try {
      const r = await api<ControlRecord>('POST', '/api/rebuilds', {
        projection,
        reason: reason || undefined,
      });
      setMessage({
        ok: true,
        text: `Rebuild ${r.id} started; its progress shows in the table above.`,
      });
      onStarted();
    } catch (err) {
      setMessage({ ok: false, text: err instanceof ApiError ? err.message : String(err) });
    }
  };
  return (
    <section aria-label="rebuild">
      <h2>Rebuild a projection</h2>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setConfirming(true);
        }}
      >
        <label>
          Projection
          <select value={projection} onChange={(e) => setProjection(e.currentTarget.value)}>
            {PROJECTIONS.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </label>
        <label>
          Why
          <input value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        </label>
        <button type="submit" class="secondary">
          Rebuild…
        </button>
      </form>
      {confirming && (
        <ConfirmDialog
          title={`Rebuild ${projection}?`}
          confirmLabel="Rebuild now"
          onConfirm={() => void start()}
          onCancel={() => setConfirming(false)}
        >
          <p data-testid="rebuild-plan">
            A copy is filled from the start of {reads.length} partition
            {reads.length === 1 ? '' : 's'} (up to {formatCount(events)} events) beside the live
            tables, then swapped in. The live projection keeps answering meanwhile.
          </p>
        </ConfirmDialog>
      )}
      {message && (
        <p role="status" class={message.ok ? undefined : 'form-error'}>
          {message.text}
        </p>
      )}
    </section>
  );
}
