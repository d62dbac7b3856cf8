import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import { Subscriber, Subscription } from '../api/types';
import { useApi } from '../api/use-api';
import { routeHref } from '../logic/route';
import { SubscriberForm } from './subscriber-form';
import { SubscriptionForm } from './subscription-form';

interface TestResult {
  success: boolean;
  status: number | null;
  latency_ms: number;
  reason: string | null;
}

/** One subscriber: edit, test, enable or disable, rotate its secret, its subscriptions. */
export function SubscriberDetail({ id }: { id?: string }) {
  const isNew = !id || id === 'new';
  const loaded = useApi<Subscriber>(isNew ? null : `/api/subscribers/${encodeURIComponent(id)}`);
  const [subscriber, setSubscriber] = useState<Subscriber>();
  const [secret, setSecret] = useState<string>();
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const [recoverSince, setRecoverSince] = useState('');
  useEffect(() => setSubscriber(loaded.data), [loaded.data]);
  useEffect(() => setSecret(shownOnce.take()), [id]);

  if (isNew) {
    return (
      <>
        <h1>New subscriber</h1>
        <SubscriberForm
          onSaved={(s) => {
            // The secret is shown once, on the page the hash now opens.
            shownOnce.secret = s.secret;
            location.hash = routeHref('subscriber', { id: s.id });
          }}
        />
      </>
    );
  }
  if (!subscriber)
    return <p aria-busy={!loaded.error}>{loaded.error ?? 'Loading the subscriber…'}</p>;
  const once = secret;

  const act = async (label: string, run: () => Promise<void>) => {
    setMessage(undefined);
    try {
      await run();
    } catch (err) {
      setMessage({
        ok: false,
        text: `${label}: ${err instanceof ApiError ? err.message : String(err)}`,
      });
    }
  };
  const patch = (body: Record<string, unknown>) =>
    api<Subscriber>('PATCH', `/api/subscribers/${subscriber.id}`, body);

  const test = () =>
    act('Test', async () => {
      setMessage({ ok: true, text: 'Sending a signed test request…' });
      const r = await api<TestResult>('POST', `/api/subscribers/${subscriber.id}/test`);
      setMessage(
        r.success
          ? {
              ok: true,
              text: `Connection works: the endpoint answered ${r.status} in ${r.latency_ms} ms.`,
            }
          : { ok: false, text: `Connection failed: ${r.reason}.` },
      );
    });
  const toggle = () =>
    act(subscriber.enabled ? 'Disable' : 'Enable', async () => {
      setSubscriber(await patch({ enabled: !subscriber.enabled }));
    });
  const rotate = () =>
    act('Rotate', async () => {
      if (!confirm('Rotate the signing secret? The old one keeps signing during the overlap.'))
        return;
      const s = await patch({ rotate_secret: true });
      setSecret(s.secret);
      setSubscriber(s);
    });
  const remove = () =>
    act('Delete', async () => {
      if (!confirm(`Delete subscriber ${subscriber.name}? Its delivery log stays.`)) return;
      await api('DELETE', `/api/subscribers/${subscriber.id}`);
      location.hash = routeHref('subscribers');
    });
  const recover = (e: Event) => {
    e.preventDefault();
    act('Recover', async () => {
      const since = new Date(recoverSince).toISOString();
      const r = await api<{ requeued: number }>(
        'POST',
        `/api/subscribers/${subscriber.id}/recover?since=${encodeURIComponent(since)}`,
      );
      setMessage({ ok: true, text: `${r.requeued} failed or dead deliveries sent again.` });
    });
  };
  const removeSubscription = (s: Subscription) =>
    act('Remove subscription', async () => {
      await api('DELETE', `/api/subscribers/${subscriber.id}/subscriptions/${s.id}`);
      setSubscriber({
        ...subscriber,
        subscriptions: subscriber.subscriptions?.filter((x) => x.id !== s.id),
      });
    });

  return (
    <>
      <nav aria-label="breadcrumb">
        <ul>
          <li>
            <a href={routeHref('subscribers')}>Subscribers</a>
          </li>
          <li>{subscriber.name}</li>
        </ul>
      </nav>
      <h1>
        {subscriber.name}{' '}
        <span class={`badge ${subscriber.enabled ? 'running' : 'stopped'}`}>
          {subscriber.enabled ? 'enabled' : 'disabled'}
        </span>
      </h1>
      {subscriber.disabled_reason && <p class="alert">{subscriber.disabled_reason}</p>}
      {once && (
        <article aria-label="signing secret">
          <strong>Signing secret (shown this once; store it at the receiver now):</strong>
          <p class="secret" data-testid="secret">
            {once}
          </p>
        </article>
      )}
      <div role="group">
        <button onClick={test}>Test connection</button>
        <button class="secondary" onClick={toggle}>
          {subscriber.enabled ? 'Disable' : 'Enable'}
        </button>
        <button class="secondary" onClick={rotate}>
          Rotate secret
        </button>
        <button class="secondary outline" onClick={remove}>
          Delete
        </button>
      </div>
      {message && (
        <p role="status" class={message.ok ? undefined : 'form-error'} data-testid="action-result">
          {message.text}
        </p>
      )}
      <p>
        <a href={routeHref('deliveries', { subscriber: subscriber.id })}>
          Deliveries of {subscriber.name} →
        </a>
      </p>
      <details>
        <summary>Edit</summary>
        <SubscriberForm subscriber={subscriber} onSaved={setSubscriber} />
      </details>
      <h2>Subscriptions</h2>
      {(subscriber.subscriptions ?? []).length === 0 ? (
        <p class="muted">No subscriptions: this subscriber receives nothing yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Model</th>
              <th>Events</th>
              <th>Tracked fields</th>
              <th>Domain</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {subscriber.subscriptions?.map((s) => (
              <tr key={s.id}>
                <td>{s.model}</td>
                <td>{s.events.join(', ')}</td>
                <td>{s.tracked_fields?.join(', ')}</td>
                <td class="value">{s.filter_domain}</td>
                <td>
                  <button class="outline secondary" onClick={() => removeSubscription(s)}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <SubscriptionForm
        subscriberId={subscriber.id}
        onAdded={(s) =>
          setSubscriber({ ...subscriber, subscriptions: [...(subscriber.subscriptions ?? []), s] })
        }
      />
      <h2>Recover</h2>
      <form class="filters" onSubmit={recover} aria-label="recover deliveries">
        <label>
          Send again every failed or dead delivery since
          <input
            type="datetime-local"
            step="1"
            required
            value={recoverSince}
            onInput={(e) => setRecoverSince(e.currentTarget.value)}
          />
        </label>
        <button type="submit">Recover</button>
      </form>
    </>
  );
}

/** The secret a creation answered, handed to the page it opens next, then forgotten. */
const shownOnce = {
  secret: undefined as string | undefined,
  take(): string | undefined {
    const s = this.secret;
    this.secret = undefined;
    return s;
  },
};
