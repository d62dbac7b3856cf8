import { AlertLine } from '../components/alert-line';
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import { ConfirmDialog } from '../components/confirm-dialog';
import { Consumer, ControlRecord, ReplayPlan } from '../api/types';
import { formatCount } from '../logic/format';
import { REPLAY_TARGETS, ReplayForm, replayRequest, ReplayTarget } from '../logic/replay-request';

/**
 * Replay one consumer: the plan first (nothing changes), then a confirmation, then the replay
 * and its catch-up, read from the consumer's lag.
 */
export function ReplayPanel({ consumer, live }: { consumer: string; live?: Consumer }) {
  const [form, setForm] = useState<ReplayForm>({
    consumer,
    target: 'by_duration',
    value: 'PT1H',
    model: '',
    reason: '',
  });
  const [plan, setPlan] = useState<ReplayPlan>();
  const [confirming, setConfirming] = useState(false);
  const [record, setRecord] = useState<ControlRecord>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = (name: keyof ReplayForm) => (e: Event) => {
    setForm({ ...form, consumer, [name]: (e.currentTarget as HTMLInputElement).value });
    setPlan(undefined);
  };

  const send = async (execute: boolean) => {
    const request = replayRequest({ ...form, consumer }, execute);
    if ('error' in request) return setError(request.error);
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api<{ plan: ReplayPlan; record?: ControlRecord }>(
        'POST',
        '/api/replays',
        request.body,
      );
      setPlan(answer.plan);
      if (answer.record) setRecord(answer.record);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  const caughtUp = record && live && live.lag === 0 && live.state === 'running';
  return (
    <section aria-label={`replay ${consumer}`}>
      <h2>Replay {consumer}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void send(false);
        }}
      >
        <div class="grid">
          <label>
            From
            <select name="target" value={form.target} onChange={set('target')}>
              {Object.entries(REPLAY_TARGETS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          {(['to_datetime', 'by_duration', 'shift_by'] as ReplayTarget[]).includes(form.target) && (
            <label>
              {form.target === 'to_datetime'
                ? 'Time (your zone)'
                : form.target === 'by_duration'
                  ? 'Duration'
                  : 'Events'}
              {form.target === 'to_datetime' ? (
                <input
                  name="value"
                  type="datetime-local"
                  step="1"
                  value={form.value}
                  onInput={set('value')}
                />
              ) : (
                <input name="value" value={form.value} onInput={set('value')} />
              )}
            </label>
          )}
          <label>
            Only model (optional)
            <input
              name="model"
              placeholder="sale.order"
              value={form.model}
              onInput={set('model')}
            />
          </label>
        </div>
        <label>
          Why (kept with the record)
          <input name="reason" value={form.reason} onInput={set('reason')} />
        </label>
        <button type="submit" class="secondary" aria-busy={busy && !confirming} disabled={busy}>
          Show the plan
        </button>
      </form>
      <AlertLine message={error} />
      {plan && (
        <article aria-label="replay plan">
          <header>
            Plan: {plan.target}. <strong>{formatCount(Number(plan.again))}</strong> events processed
            again, <strong>{formatCount(Number(plan.skipped))}</strong> passed over. Nothing has
            changed yet.
          </header>
          <div class="table-scroll">
            <table>
              <thead>
                <tr>
                  <th>Topic</th>
                  <th>Partition</th>
                  <th>Now at</th>
                  <th>Moves to</th>
                  <th>End</th>
                  <th>Again</th>
                </tr>
              </thead>
              <tbody>
                {plan.partitions.map((p) => (
                  <tr key={`${p.topic}:${p.partition}`}>
                    <td>{p.topic}</td>
                    <td>{p.partition}</td>
                    <td>{p.current ?? '—'}</td>
                    <td>{p.next}</td>
                    <td>{p.end}</td>
                    <td>{p.again}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {!record && (
            <button onClick={() => setConfirming(true)} disabled={busy}>
              Execute this replay…
            </button>
          )}
        </article>
      )}
      {confirming && (
        <ConfirmDialog
          title={`Replay ${consumer}?`}
          confirmLabel="Replay now"
          busy={busy}
          onConfirm={() => void send(true)}
          onCancel={() => setConfirming(false)}
        >
          <p>
            {formatCount(Number(plan?.again ?? 0))} events are processed again ({plan?.target}). The
            consumer pauses, moves, and resumes.
          </p>
        </ConfirmDialog>
      )}
      {record && (
        <p role="status" data-testid="replay-progress">
          Replay {record.id} done by {record.by}.{' '}
          {caughtUp ? (
            <strong>Caught up.</strong>
          ) : (
            <>Catching up: {formatCount(live?.lag ?? 0)} events to go…</>
          )}
        </p>
      )}
    </section>
  );
}
