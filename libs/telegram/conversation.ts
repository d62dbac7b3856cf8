import { botText, languageOf, TelegramLanguage } from './telegram-texts';
import {
  checkCode,
  CODE_TTL_MS,
  codeHash,
  looksLikeCode,
  MAX_CODE_ATTEMPTS,
  verificationCode,
} from './verification-code';

/** A Telegram user of one bot, as the projection keeps it. */
export interface TelegramUserState {
  partnerId: number | null;
  partnerLang: string | null;
  languageCode: string | null;
  verified: boolean;
  codeHash: string | null;
  codeExpiresAt: number | null;
  codeAttempts: number;
  blocked: boolean;
  waiting: boolean;
}

export const NEW_USER: TelegramUserState = {
  partnerId: null,
  partnerLang: null,
  languageCode: null,
  verified: false,
  codeHash: null,
  codeExpiresAt: null,
  codeAttempts: 0,
  blocked: false,
  waiting: false,
};

/** A message for the bot to send: `{code}` in a code message is filled in by the sender. */
export interface BotReply {
  kind: 'system' | 'code' | 'orders';
  text: string;
  /** A code message: the key the sender derives the code from. */
  codeKey?: string;
}

/** What one customer message does. */
export interface ConversationStep {
  /** The user afterwards; null: no user was or is kept (an unknown chat that did not /start). */
  user: TelegramUserState | null;
  /** Keep the message in the conversation history. */
  keep: boolean;
  replies: BotReply[];
  /** `/orders`: the projection answers with the partner's orders. */
  listOrders: boolean;
}

/** The user's language: the partner's in Odoo, else the one their Telegram app reports. */
export function userLanguage(
  user: Pick<TelegramUserState, 'partnerLang' | 'languageCode'>,
): TelegramLanguage {
  return languageOf(user.partnerLang ?? user.languageCode);
}

/** A new code for the user, issued by the event `issueKey` at `at`. */
export function issueCode(
  user: TelegramUserState,
  codeSecret: string,
  issueKey: string,
  at: number,
): { user: TelegramUserState; reply: BotReply } {
  const code = verificationCode(codeSecret, issueKey);
  return {
    user: {
      ...user,
      codeHash: codeHash(codeSecret, code),
      codeExpiresAt: at + CODE_TTL_MS,
      codeAttempts: 0,
    },
    // The code itself is not kept: the sender derives it again from the issuing key.
    reply: {
      kind: 'code',
      text: botText('code', userLanguage(user), { code: '{code}' }),
      codeKey: issueKey,
    },
  };
}

/**
 * One private text message from a customer: commands (`/start`, `/help`, `/orders`), a
 * verification code, or a message for the operators. Pure: the projection applies the result.
 */
export function conversationStep(
  existing: TelegramUserState | null,
  message: { text: string; languageCode: string | null; issueKey: string; at: number },
  codeSecret: string,
): ConversationStep {
  const text = message.text.trim();
  const command = /^\/([a-z]+)(@\w+)?(\s|$)/i.exec(text)?.[1]?.toLowerCase() ?? null;
  if (!existing) {
    if (command !== 'start') {
      // Nothing is kept for a chat that never started the bot; it is told how to begin.
      const lang = languageOf(message.languageCode);
      return {
        user: null,
        keep: false,
        replies: [{ kind: 'system', text: botText('help', lang) }],
        listOrders: false,
      };
    }
    const created = { ...NEW_USER, languageCode: message.languageCode };
    const { user, reply } = issueCode(created, codeSecret, message.issueKey, message.at);
    return {
      user,
      keep: true,
      replies: [{ kind: 'system', text: botText('welcome', userLanguage(user)) }, reply],
      listOrders: false,
    };
  }
  // Writing again is what lifts a block (a 403 from Telegram).
  const user = {
    ...existing,
    blocked: false,
    languageCode: message.languageCode ?? existing.languageCode,
  };
  const lang = userLanguage(user);
  const step = (
    u: TelegramUserState,
    replies: BotReply[],
    listOrders = false,
  ): ConversationStep => ({
    user: u,
    keep: true,
    replies,
    listOrders,
  });
  if (command === 'start') {
    if (user.verified) return step(user, [{ kind: 'system', text: botText('help', lang) }]);
    const live = user.codeHash && user.codeExpiresAt !== null && message.at <= user.codeExpiresAt;
    if (live) return step(user, [{ kind: 'system', text: botText('welcome', lang) }]);
    const issued = issueCode(user, codeSecret, message.issueKey, message.at);
    return step(issued.user, [{ kind: 'system', text: botText('welcome', lang) }, issued.reply]);
  }
  if (command === 'help') return step(user, [{ kind: 'system', text: botText('help', lang) }]);
  if (command === 'orders') {
    if (!user.verified || user.partnerId === null) {
      return step(user, [{ kind: 'system', text: botText('notVerified', lang) }]);
    }
    return step(user, [], true);
  }
  const typed = user.verified ? null : looksLikeCode(text);
  if (typed) {
    const check = checkCode(
      codeSecret,
      { hash: user.codeHash, expiresAt: user.codeExpiresAt, attempts: user.codeAttempts },
      typed,
      message.at,
    );
    if (check === 'verified') {
      return step(
        { ...user, verified: true, codeHash: null, codeExpiresAt: null, codeAttempts: 0 },
        [{ kind: 'system', text: botText('verified', lang) }],
      );
    }
    if (check === 'wrong') {
      const attempts = user.codeAttempts + 1;
      const key = attempts >= MAX_CODE_ATTEMPTS ? 'tooManyAttempts' : 'wrongCode';
      return step({ ...user, codeAttempts: attempts }, [
        { kind: 'system', text: botText(key, lang) },
      ]);
    }
    if (check === 'expired')
      return step(user, [{ kind: 'system', text: botText('codeExpired', lang) }]);
    if (check === 'exhausted') {
      return step(user, [{ kind: 'system', text: botText('tooManyAttempts', lang) }]);
    }
  }
  // Anything else is for the operators.
  return step({ ...user, waiting: true }, []);
}
