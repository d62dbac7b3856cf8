import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';

/** Sign in with an admin key; the api answers with a session cookie the page never sees. */
export function Login({ onSignedIn }: { onSignedIn: (keyName: string) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const session = await api<{ key_name: string }>('POST', '/api/session', { key });
      setKey('');
      onSignedIn(session.key_name);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="container login">
      <article>
        <header>
          <h1>odoo-stream</h1>
          <p>Sign in with an admin key (one of ADMIN_API_KEYS).</p>
        </header>
        <form onSubmit={submit}>
          <label>
            Admin key
            <input
              type="password"
              name="key"
              autoComplete="current-password"
              required
              value={key}
              aria-invalid={error ? 'true' : undefined}
              onInput={(e) => setKey(e.currentTarget.value)}
            />
            {error && (
              <small class="field-error" role="alert">
                {error}
              </small>
            )}
          </label>
          <button type="submit" aria-busy={busy} disabled={busy}>
            Sign in
          </button>
        </form>
      </article>
    </main>
  );
}
