import { EntityManager } from 'typeorm';
import { JsonImage } from '@odoo-stream/events';
import { parseDomain, WebhookEvent } from '@odoo-stream/webhooks';
import {
  botText,
  NotificationRule,
  saleOrderStateName,
  TelegramUserState,
  userLanguage,
} from '@odoo-stream/telegram';

interface UserRow {
  partner_id: string | null;
  partner_lang: string | null;
  language_code: string | null;
  verified: boolean;
  code_hash: string | null;
  code_expires_at: Date | null;
  code_attempts: number;
  blocked: boolean;
  waiting: boolean;
}

function userState(row: UserRow): TelegramUserState {
  return {
    partnerId: row.partner_id === null ? null : Number(row.partner_id),
    partnerLang: row.partner_lang,
    languageCode: row.language_code,
    verified: row.verified,
    codeHash: row.code_hash,
    codeExpiresAt: row.code_expires_at ? new Date(row.code_expires_at).getTime() : null,
    codeAttempts: row.code_attempts,
    blocked: row.blocked,
    waiting: row.waiting,
  };
}

const USER_COLUMNS = `u.partner_id, p.lang AS partner_lang, u.language_code, u.verified, u.code_hash,
  u.code_expires_at, u.code_attempts, u.blocked, u.waiting`;

interface VerifiedRecipient {
  botId: number;
  telegramId: number;
  verifiedAt: Date;
}

/** How many orders `/orders` lists, newest first. */
const ORDERS_LISTED = 20;

/** The Telegram projection's reads and writes, inside the projector's transaction. */
export class TelegramTables {
  constructor(private readonly tx: EntityManager) {}

  async bot(id: number): Promise<{ active: boolean; codeSecret: string } | null> {
    const [row] = await this.tx.query(
      `SELECT active, code_secret FROM telegram_bot WHERE id = $1`,
      [id],
    );
    return row ? { active: row.active, codeSecret: row.code_secret } : null;
  }

  /** The active notification rules an administrator added. */
  async rules(): Promise<NotificationRule[]> {
    const rows: Array<Record<string, unknown>> = await this.tx.query(
      `SELECT id, model, events, tracked_fields, filter_domain, template, recipient_field
       FROM telegram_rule WHERE active ORDER BY id`,
    );
    return rows.flatMap((r) => {
      try {
        return [
          {
            id: `rule-${r.id}`,
            model: r.model as string,
            events: r.events as WebhookEvent[],
            tracked_fields: r.tracked_fields as string[],
            domain: r.filter_domain ? parseDomain(r.filter_domain as string) : null,
            template: r.template as string,
            recipient_field: r.recipient_field as string,
          },
        ];
      } catch {
        return []; // checked when saved
      }
    });
  }

  async user(botId: number, telegramId: number): Promise<TelegramUserState | null> {
    const [row] = await this.tx.query(
      `SELECT ${USER_COLUMNS} FROM telegram_user u LEFT JOIN telegram_partner p ON p.id = u.partner_id
       WHERE u.bot_id = $1 AND u.telegram_id = $2`,
      [botId, telegramId],
    );
    return row ? userState(row) : null;
  }

  async saveUser(
    botId: number,
    telegramId: number,
    user: TelegramUserState,
    at: Date,
    seen: { firstName?: string | null; username?: string | null; lastMessageAt?: Date },
  ): Promise<void> {
    await this.tx.query(
      `INSERT INTO telegram_user (bot_id, telegram_id, partner_id, first_name, username, language_code,
         verified, verified_at, code_hash, code_expires_at, code_attempts, blocked, waiting,
         last_message_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $7 THEN $14::timestamptz END, $8, $9, $10, $11, $12, $13, $14)
       ON CONFLICT (bot_id, telegram_id) DO UPDATE SET partner_id = EXCLUDED.partner_id,
         first_name = COALESCE(EXCLUDED.first_name, telegram_user.first_name),
         username = COALESCE(EXCLUDED.username, telegram_user.username),
         language_code = EXCLUDED.language_code, verified = EXCLUDED.verified,
         verified_at = CASE WHEN EXCLUDED.verified AND NOT telegram_user.verified THEN $14::timestamptz
           WHEN EXCLUDED.verified THEN telegram_user.verified_at END,
         code_hash = EXCLUDED.code_hash, code_expires_at = EXCLUDED.code_expires_at,
         code_attempts = EXCLUDED.code_attempts, blocked = EXCLUDED.blocked, waiting = EXCLUDED.waiting,
         last_message_at = COALESCE(EXCLUDED.last_message_at, telegram_user.last_message_at)`,
      [
        botId,
        telegramId,
        user.partnerId,
        seen.firstName ?? null,
        seen.username ?? null,
        user.languageCode,
        user.verified,
        user.codeHash,
        user.codeExpiresAt === null ? null : new Date(user.codeExpiresAt),
        user.codeAttempts,
        user.blocked,
        user.waiting,
        seen.lastMessageAt ?? null,
        at,
      ],
    );
  }

  async setBlocked(botId: number, telegramId: number, blocked: boolean): Promise<void> {
    await this.tx.query(
      `UPDATE telegram_user SET blocked = $3 WHERE bot_id = $1 AND telegram_id = $2`,
      [botId, telegramId, blocked],
    );
  }

  async setWaiting(botId: number, telegramId: number, waiting: boolean): Promise<void> {
    await this.tx.query(
      `UPDATE telegram_user SET waiting = $3 WHERE bot_id = $1 AND telegram_id = $2`,
      [botId, telegramId, waiting],
    );
  }

  async addMessage(
    key: string,
    botId: number,
    telegramId: number,
    direction: 'in' | 'out',
    kind: string,
    text: string,
    by: string | null,
    at: Date,
  ): Promise<void> {
    await this.tx.query(
      `INSERT INTO telegram_message (key, bot_id, telegram_id, direction, kind, text, by, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (key) DO NOTHING`,
      [key, botId, telegramId, direction, kind, text, by, at],
    );
  }

  /** A message for the sender, once per key, and in the conversation history. */
  async send(
    key: string,
    botId: number,
    telegramId: number,
    message: { kind: string; text: string; codeKey?: string },
    at: Date,
    eventId: string | null,
    by: string | null = null,
    history = true,
  ): Promise<void> {
    // A send result applied before its row (a rebuild reads topics side by side) keeps its status.
    await this.tx.query(
      `INSERT INTO telegram_outbox (key, bot_id, telegram_id, kind, text, code_key, event_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (key) DO UPDATE SET bot_id = EXCLUDED.bot_id, telegram_id = EXCLUDED.telegram_id,
         kind = EXCLUDED.kind, text = EXCLUDED.text, code_key = EXCLUDED.code_key,
         event_id = EXCLUDED.event_id, created_at = EXCLUDED.created_at
       WHERE telegram_outbox.text IS NULL`,
      [key, botId, telegramId, message.kind, message.text, message.codeKey ?? null, eventId, at],
    );
    if (history)
      await this.addMessage(key, botId, telegramId, 'out', message.kind, message.text, by, at);
  }

  /**
   * A send result: the outbox row's status, and the text as sent, in the row and the history
   * (made here when this result is read before what caused the message, as a rebuild may).
   */
  async settle(
    sent: {
      outbox_key: string;
      bot_id: number;
      telegram_id: number;
      kind?: string;
      text?: string;
      created_at?: string;
    },
    status: 'sent' | 'failed',
    at: Date,
    result: { messageId?: number | null; reason?: string },
  ): Promise<void> {
    const text = sent.text ?? null;
    const createdAt = sent.created_at ? new Date(sent.created_at) : at;
    await this.tx.query(
      `INSERT INTO telegram_outbox (key, bot_id, telegram_id, kind, text, status, message_id, reason,
         created_at, done_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (key) DO UPDATE SET status = EXCLUDED.status, message_id = EXCLUDED.message_id,
         reason = EXCLUDED.reason, done_at = EXCLUDED.done_at,
         text = COALESCE(EXCLUDED.text, telegram_outbox.text)`,
      [
        sent.outbox_key,
        sent.bot_id,
        sent.telegram_id,
        sent.kind ?? null,
        text,
        status,
        result.messageId ?? null,
        result.reason ?? null,
        createdAt,
        at,
      ],
    );
    if (text === null || !sent.kind) return;
    await this.tx.query(
      // Only for a kept customer: a chat that never started the bot has no history.
      `INSERT INTO telegram_message (key, bot_id, telegram_id, direction, kind, text, at)
       SELECT $1, $2, $3, 'out', $4, $5, $6 WHERE EXISTS
         (SELECT 1 FROM telegram_user WHERE bot_id = $2 AND telegram_id = $3)
       ON CONFLICT (key) DO UPDATE SET text = EXCLUDED.text`,
      [sent.outbox_key, sent.bot_id, sent.telegram_id, sent.kind, text, createdAt],
    );
  }

  /** The partners' last states: null deletes. */
  async savePartners(partners: Array<{ id: number; values: JsonImage | null }>): Promise<void> {
    const gone = partners.filter((p) => !p.values).map((p) => p.id);
    const kept = partners.flatMap(({ id, values }) =>
      values ? [{ id, name: text(values.name, 512), lang: text(values.lang, 16) }] : [],
    );
    if (gone.length) {
      await this.tx.query(`DELETE FROM telegram_partner WHERE id = ANY($1::bigint[])`, [gone]);
    }
    if (kept.length === 0) return;
    await this.tx.query(
      `INSERT INTO telegram_partner (id, name, lang)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS v(id bigint, name varchar, lang varchar)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, lang = EXCLUDED.lang`,
      [JSON.stringify(kept)],
    );
  }

  async partnerLang(id: number): Promise<string | null> {
    const [row] = await this.tx.query(`SELECT lang FROM telegram_partner WHERE id = $1`, [id]);
    return row?.lang ?? null;
  }

  /** The orders' last states: null deletes. */
  async saveOrders(
    orders: Array<{ id: number; values: JsonImage | null; at: Date }>,
  ): Promise<void> {
    const gone = orders.filter((o) => !o.values).map((o) => o.id);
    const kept = orders.flatMap(({ id, values, at }) => {
      if (!values) return [];
      const partner = values.partner_id;
      return [
        {
          id,
          partner_id: typeof partner === 'number' ? partner : null,
          name: text(values.name, 256),
          state: text(values.state, 32),
          amount_total:
            values.amount_total === null || values.amount_total === undefined
              ? null
              : String(values.amount_total),
          date_order: typeof values.date_order === 'string' ? values.date_order : null,
          updated_at: at.toISOString(),
        },
      ];
    });
    if (gone.length) {
      await this.tx.query(`DELETE FROM telegram_order WHERE id = ANY($1::bigint[])`, [gone]);
    }
    if (kept.length === 0) return;
    await this.tx.query(
      `INSERT INTO telegram_order (id, partner_id, name, state, amount_total, date_order, updated_at)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS v(id bigint, partner_id bigint,
         name varchar, state varchar, amount_total text, date_order timestamptz,
         updated_at timestamptz)
       ON CONFLICT (id) DO UPDATE SET partner_id = EXCLUDED.partner_id, name = EXCLUDED.name,
         state = EXCLUDED.state, amount_total = EXCLUDED.amount_total,
         date_order = EXCLUDED.date_order, updated_at = EXCLUDED.updated_at`,
      [JSON.stringify(kept)],
    );
  }

  /** `/orders`: the partner's newest orders with their state in the user's language. */
  async ordersText(user: TelegramUserState): Promise<string> {
    const lang = userLanguage(user);
    const rows: Array<{ name: string; state: string; amount_total: string | null }> =
      await this.tx.query(
        `SELECT name, state, amount_total FROM telegram_order WHERE partner_id = $1
         ORDER BY id DESC LIMIT ${ORDERS_LISTED}`,
        [user.partnerId],
      );
    if (rows.length === 0) return botText('noOrders', lang);
    const lines = rows.map((r) => {
      const amount = Number(r.amount_total);
      const shown = Number.isFinite(amount) ? amount.toFixed(2) : (r.amount_total ?? '');
      return `${r.name} - ${saleOrderStateName(r.state, lang)} - ${shown}`;
    });
    return [botText('ordersHeader', lang), ...lines].join('\n');
  }

  /**
   * The partners' verified users who have not blocked the bot, of active bots, by partner, with
   * when they were verified (a change from before that sends them nothing).
   */
  async verifiedUsersOf(
    partnerIds: number[],
  ): Promise<Map<number, Array<TelegramUserState & VerifiedRecipient>>> {
    const rows: Array<UserRow & { bot_id: number; telegram_id: string; verified_at: Date }> =
      await this.tx.query(
        `SELECT u.bot_id, u.telegram_id, u.verified_at, ${USER_COLUMNS} FROM telegram_user u
           JOIN telegram_bot b ON b.id = u.bot_id AND b.active
           LEFT JOIN telegram_partner p ON p.id = u.partner_id
         WHERE u.partner_id = ANY($1::bigint[]) AND u.verified AND u.verified_at IS NOT NULL
           AND NOT u.blocked
         ORDER BY u.bot_id, u.telegram_id`,
        [partnerIds],
      );
    const users = new Map<number, Array<TelegramUserState & VerifiedRecipient>>();
    for (const r of rows) {
      const partnerId = Number(r.partner_id);
      if (!users.has(partnerId)) users.set(partnerId, []);
      users.get(partnerId)?.push({
        ...userState(r),
        botId: r.bot_id,
        telegramId: Number(r.telegram_id),
        verifiedAt: new Date(r.verified_at),
      });
    }
    return users;
  }
}

function text(value: unknown, max: number): string | null {
  return typeof value === 'string' ? value.slice(0, max) : null;
}
