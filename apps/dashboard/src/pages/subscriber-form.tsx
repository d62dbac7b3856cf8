import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import { Subscriber } from '../api/types';
import { Field, FormMessage } from '../components/field';
import { fieldErrors } from '../logic/field-errors';

const FIELDS = [
  'name',
  'endpoint_url',
  'auth_type',
  'token',
  'username',
  'password',
  'api_key',
  'api_key_header',
  'timeout_ms',
  'rate_limit',
];

/** Create or edit a subscriber; the api validates, its messages appear beside the fields. */
export function SubscriberForm({
  subscriber,
  onSaved,
}: {
  subscriber?: Subscriber;
  onSaved: (saved: Subscriber) => void;
}) {
  const [values, setValues] = useState<Record<string, string>>({
    name: subscriber?.name ?? '',
    endpoint_url: subscriber?.endpoint_url ?? '',
    auth_type: subscriber?.auth_type ?? 'none',
    timeout_ms: String(subscriber?.timeout_ms ?? ''),
    rate_limit: String(subscriber?.rate_limit ?? ''),
  });
  const [errors, setErrors] = useState<Record<string, string[]>>();
  const [busy, setBusy] = useState(false);
  const set = (name: string) => (e: Event) =>
    setValues({ ...values, [name]: (e.currentTarget as HTMLInputElement).value });

  const submit = async (e: Event) => {
    e.preventDefault();
    const body: Record<string, unknown> = { name: values.name, endpoint_url: values.endpoint_url };
    if (
      values.auth_type !== (subscriber?.auth_type ?? 'none') ||
      values.token ||
      values.password ||
      values.api_key
    ) {
      body.auth_type = values.auth_type;
    }
    for (const f of ['token', 'username', 'password', 'api_key', 'api_key_header']) {
      if (values[f]) body[f] = values[f];
    }
    for (const f of ['timeout_ms', 'rate_limit']) {
      if (values[f] !== '' && values[f] !== String(subscriber?.[f] ?? ''))
        body[f] = Number(values[f]);
    }
    setBusy(true);
    setErrors(undefined);
    try {
      const saved = subscriber
        ? await api<Subscriber>('PATCH', `/api/subscribers/${subscriber.id}`, body)
        : await api<Subscriber>('POST', '/api/subscribers', body);
      onSaved(saved);
    } catch (err) {
      setErrors(fieldErrors(err instanceof ApiError ? err.message : String(err), FIELDS));
    } finally {
      setBusy(false);
    }
  };

  const invalid = (name: string) => (errors?.[name] ? 'true' : undefined);
  const input = (name: string, extra: Record<string, string> = {}) => (
    <input
      name={name}
      value={values[name] ?? ''}
      onInput={set(name)}
      aria-invalid={invalid(name)}
      {...extra}
    />
  );
  const secret = (name: string) => input(name, { type: 'password', autoComplete: 'off' });
  const kept = subscriber?.has_credentials ? 'kept unless you type a new one' : undefined;
  return (
    <form onSubmit={submit} aria-label={subscriber ? 'edit subscriber' : 'new subscriber'}>
      <FormMessage errors={errors} />
      <div class="grid">
        <Field label="Name" name="name" errors={errors}>
          {input('name')}
        </Field>
        <Field
          label="Endpoint URL"
          name="endpoint_url"
          errors={errors}
          hint="https:// where the webhooks go"
        >
          {input('endpoint_url')}
        </Field>
      </div>
      <div class="grid">
        <Field label="Authentication" name="auth_type" errors={errors}>
          <select name="auth_type" value={values.auth_type} onChange={set('auth_type')}>
            <option value="none">none (signature only)</option>
            <option value="bearer">bearer token</option>
            <option value="basic">basic</option>
            <option value="api_key">API key header</option>
          </select>
        </Field>
        {values.auth_type === 'bearer' && (
          <Field label="Token" name="token" errors={errors} hint={kept}>
            {secret('token')}
          </Field>
        )}
        {values.auth_type === 'basic' && (
          <>
            <Field label="Username" name="username" errors={errors}>
              {input('username')}
            </Field>
            <Field label="Password" name="password" errors={errors} hint={kept}>
              {secret('password')}
            </Field>
          </>
        )}
        {values.auth_type === 'api_key' && (
          <>
            <Field label="Header" name="api_key_header" errors={errors}>
              {input('api_key_header', { placeholder: 'X-API-Key' })}
            </Field>
            <Field label="Key" name="api_key" errors={errors} hint={kept}>
              {secret('api_key')}
            </Field>
          </>
        )}
      </div>
      <div class="grid">
        <Field label="Timeout (ms)" name="timeout_ms" errors={errors}>
          {input('timeout_ms', { inputMode: 'numeric' })}
        </Field>
        <Field label="Rate limit (per minute, 0: none)" name="rate_limit" errors={errors}>
          {input('rate_limit', { inputMode: 'numeric' })}
        </Field>
      </div>
      <button type="submit" aria-busy={busy} disabled={busy}>
        {subscriber ? 'Save' : 'Create subscriber'}
      </button>
    </form>
  );
}
