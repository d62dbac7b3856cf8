/** What an operator (or an administrator) did, by whom and when. */
export interface OperatorAction {
  id: string;
  bot_id: number;
  telegram_id: number;
  by: string;
  at: string;
}

export type OperatorEvent =
  | (OperatorAction & { type: 'user.registered' | 'user.linked'; partner_id: number })
  | (OperatorAction & { type: 'code.requested' | 'user.unblocked' })
  | (OperatorAction & { type: 'reply'; text: string });

/**
 * A send result of the dispatcher, for one outbox row, with what was sent (a code message with
 * its `{code}` placeholder): a rebuild keeps the history as it happened, whatever order it reads
 * the topics in.
 */
interface SendResult {
  outbox_key: string;
  bot_id: number;
  telegram_id: number;
  kind: string;
  text: string;
  /** When the outbox row was made (the time of what caused the message). */
  created_at: string;
  at: string;
}

/**
 * What goes on `<prefix>.stream.telegram` (JSON, keyed by `<bot>:<telegram user id>`): every
 * update received, every operator action and every send result. The Telegram tables are a
 * projection of it (and of the sale.order and res.partner topics).
 */
export type TelegramEvent =
  | { type: 'update'; bot_id: number; update: TelegramUpdate; at: string }
  | OperatorEvent
  | (SendResult & { type: 'message.sent'; message_id: number | null })
  | (SendResult & {
      type: 'message.failed';
      reason: string;
      /** Telegram answered 403: the user blocked the bot. */
      blocked: boolean;
    });

/** The part of Telegram's Update object the bot reads. */
export interface TelegramUpdate {
  update_id: number;
  message?: {
    message_id: number;
    date: number;
    text?: string;
    chat: { id: number; type: string };
    from?: {
      id: number;
      is_bot?: boolean;
      first_name?: string;
      username?: string;
      language_code?: string;
    };
  };
  [other: string]: unknown;
}

/** Telegram's own limit for one message's text. */
export const TELEGRAM_TEXT_LIMIT = 4096;

/**
 * The update's private text message, checked: a shape Telegram would send, or null (a channel
 * post, an edit, a sticker: stored nowhere, answered with nothing).
 */
export function privateTextMessage(update: unknown): {
  updateId: number;
  chatId: number;
  text: string;
  firstName: string | null;
  username: string | null;
  languageCode: string | null;
  date: number;
} | null {
  const u = update as TelegramUpdate;
  const m = u?.message;
  if (!Number.isSafeInteger(u?.update_id) || !m || typeof m !== 'object') return null;
  if (typeof m.text !== 'string' || !m.chat || m.chat.type !== 'private') return null;
  if (!Number.isSafeInteger(m.chat.id) || m.chat.id <= 0) return null;
  if (m.from?.is_bot) return null;
  const str = (v: unknown) => (typeof v === 'string' ? v.slice(0, 256) : null);
  return {
    updateId: u.update_id,
    chatId: m.chat.id,
    // A longer text is no message Telegram sends; what is kept is bounded the same way.
    text: m.text.slice(0, TELEGRAM_TEXT_LIMIT),
    firstName: str(m.from?.first_name),
    username: str(m.from?.username),
    languageCode: str(m.from?.language_code),
    date: Number.isSafeInteger(m.date) ? m.date : 0,
  };
}

export function telegramEventKey(botId: number, telegramId: number): string {
  return `${botId}:${telegramId}`;
}
