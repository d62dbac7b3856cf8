import { AlertLine } from '../components/alert-line';
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import { useApi } from '../api/use-api';
import { Time } from '../components/time';
import { routeHref } from '../logic/route';

interface Bot {
  id: number;
  name: string;
  mode: string;
  active: boolean;
}

interface Conversation {
  telegram_id: number;
  partner_id: number | null;
  first_name: string | null;
  username: string | null;
  verified: boolean;
  waiting: boolean;
  last_message_at: string | null;
}

interface Message {
  id: number;
  direction: 'in' | 'out';
  text: string;
  at: string;
  status?: string;
}

/** Telegram: each bot's conversations (those waiting first), a history, and a reply. */
export function Telegram({ params }: { params: Record<string, string> }) {
  const bots = useApi<Bot[]>('/api/telegram/bots');
  const bot = params.bot ?? (bots.data?.[0] ? String(bots.data[0].id) : undefined);
  const conversations = useApi<Conversation[]>(
    bot ? `/api/telegram/bots/${bot}/conversations` : null,
    5000,
  );
  const sorted = [...(conversations.data ?? [])].sort(
    (a, b) =>
      Number(b.waiting) - Number(a.waiting) ||
      (b.last_message_at ?? '').localeCompare(a.last_message_at ?? ''),
  );
  return (
    <>
      <h1>Telegram</h1>
      <AlertLine message={bots.error} />
      {bots.data && bots.data.length === 0 && (
        <p class="muted">
          No bots. Add one with POST /api/telegram/bots (see the README's Telegram section).
        </p>
      )}
      {bots.data && bots.data.length > 1 && (
        <nav aria-label="bots">
          <ul>
            {bots.data.map((b) => (
              <li key={b.id}>
                <a
                  href={routeHref('telegram', { bot: b.id })}
                  aria-current={String(b.id) === bot ? 'page' : undefined}
                >
                  {b.name}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      {bot && (
        <div class="grid">
          <section aria-label="conversations">
            <h2>Conversations</h2>
            <table>
              <tbody>
                {sorted.map((c) => (
                  <tr key={c.telegram_id}>
                    <td>
                      <a href={routeHref('telegram', { bot, user: c.telegram_id })}>
                        {c.first_name ?? c.username ?? c.telegram_id}
                      </a>
                      {c.waiting && (
                        <>
                          {' '}
                          <span class="badge failed">waiting</span>
                        </>
                      )}
                      {!c.verified && <span class="muted"> (not verified)</span>}
                    </td>
                    <td>
                      <Time at={c.last_message_at} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {conversations.data && conversations.data.length === 0 && (
              <p class="muted">Nobody has written yet.</p>
            )}
          </section>
          {params.user && (
            <ConversationPanel
              key={`${bot}/${params.user}`}
              bot={bot}
              user={params.user}
              onReplied={conversations.reload}
            />
          )}
        </div>
      )}
    </>
  );
}

function ConversationPanel({
  bot,
  user,
  onReplied,
}: {
  bot: string;
  user: string;
  onReplied: () => void;
}) {
  const messages = useApi<Message[]>(
    `/api/telegram/bots/${bot}/conversations/${user}/messages`,
    3000,
  );
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const reply = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      await api('POST', `/api/telegram/bots/${bot}/conversations/${user}/reply`, { text });
      setText('');
      messages.reload();
      onReplied();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };
  return (
    <section aria-label="conversation">
      <h2>History</h2>
      <div class="conversation">
        {messages.data?.map((m) => (
          <p key={m.id} class={m.direction}>
            {m.text}
            <br />
            <small class="muted">
              <Time at={m.at} /> {m.status ?? ''}
            </small>
          </p>
        ))}
      </div>
      <form onSubmit={reply}>
        <label>
          Reply
          <textarea
            name="text"
            required
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
          />
          {error && (
            <small class="field-error" role="alert">
              {error}
            </small>
          )}
        </label>
        <button type="submit">Send</button>
      </form>
    </section>
  );
}
