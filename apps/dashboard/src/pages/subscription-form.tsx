import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import { Subscription } from '../api/types';
import { Field, FormMessage } from '../components/field';
import { fieldErrors } from '../logic/field-errors';

const FIELDS = ['model', 'events', 'tracked_fields', 'filter_domain'];
const EVENTS = ['create', 'write', 'unlink'];

/** Adds a subscription: a model, its events, tracked fields and an Odoo domain. */
export function SubscriptionForm({
  subscriberId,
  onAdded,
}: {
  subscriberId: number;
  onAdded: (s: Subscription) => void;
}) {
  const [model, setModel] = useState('');
  const [events, setEvents] = useState<string[]>(['create', 'write']);
  const [tracked, setTracked] = useState('');
  const [domain, setDomain] = useState('');
  const [errors, setErrors] = useState<Record<string, string[]>>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const body: Record<string, unknown> = { model: model.trim(), events };
    const fields = tracked
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean);
    if (fields.length) body.tracked_fields = fields;
    if (domain.trim()) body.filter_domain = domain.trim();
    setBusy(true);
    setErrors(undefined);
    try {
      onAdded(
        await api<Subscription>('POST', `/api/subscribers/${subscriberId}/subscriptions`, body),
      );
      setModel('');
      setTracked('');
      setDomain('');
    } catch (err) {
      setErrors(fieldErrors(err instanceof ApiError ? err.message : String(err), FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} aria-label="add subscription">
      <FormMessage errors={errors} />
      <div class="grid">
        <Field label="Model" name="model" errors={errors}>
          <input
            name="model"
            placeholder="sale.order"
            value={model}
            onInput={(e) => setModel(e.currentTarget.value)}
            aria-invalid={errors?.model ? 'true' : undefined}
          />
        </Field>
        <Field
          label="Tracked fields (comma-separated; write fires only when one changed)"
          name="tracked_fields"
          errors={errors}
        >
          <input
            name="tracked_fields"
            placeholder="state, amount_total"
            value={tracked}
            onInput={(e) => setTracked(e.currentTarget.value)}
          />
        </Field>
      </div>
      <fieldset>
        <legend>Events</legend>
        {EVENTS.map((ev) => (
          <label key={ev}>
            <input
              type="checkbox"
              name="events"
              value={ev}
              checked={events.includes(ev)}
              onChange={(e) =>
                setEvents(
                  e.currentTarget.checked ? [...events, ev] : events.filter((x) => x !== ev),
                )
              }
            />
            {ev}
          </label>
        ))}
        {errors?.events && (
          <small class="field-error" role="alert">
            {errors.events.join('; ')}
          </small>
        )}
      </fieldset>
      <Field label="Domain (Odoo syntax)" name="filter_domain" errors={errors}>
        <input
          name="filter_domain"
          placeholder="[('state', '=', 'sale'), ('amount_total', '>', 1000)]"
          value={domain}
          onInput={(e) => setDomain(e.currentTarget.value)}
          aria-invalid={errors?.filter_domain ? 'true' : undefined}
        />
      </Field>
      <button type="submit" aria-busy={busy} disabled={busy}>
        Add subscription
      </button>
    </form>
  );
}
