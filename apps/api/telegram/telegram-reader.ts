import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { exposeWaitingConversations } from './waiting-conversations-gauge';

/** The Telegram projection's tables as the api answers with them. */
@Injectable()
export class TelegramReader implements OnModuleInit {
  constructor(private readonly db: DataSource) {}

  onModuleInit(): void {
    exposeWaitingConversations(() => this.waitingCount());
  }

  async users(botId: number) {
    const rows = await this.db.query(
      `SELECT telegram_id, partner_id, first_name, username, verified, verified_at, blocked, waiting,
         last_message_at, created_at FROM telegram_user WHERE bot_id = $1 ORDER BY created_at, telegram_id`,
      [botId],
    );
    return rows.map(userView);
  }

  async user(botId: number, telegramId: number) {
    const [row] = await this.db.query(
      `SELECT telegram_id, partner_id, first_name, username, verified, verified_at, blocked, waiting,
         last_message_at, created_at FROM telegram_user WHERE bot_id = $1 AND telegram_id = $2`,
      [botId, telegramId],
    );
    return row ? userView(row) : null;
  }

  /** Customers with messages, those waiting for an operator first, the latest on top. */
  async conversations(botId: number, waitingOnly: boolean) {
    const rows = await this.db.query(
      `SELECT telegram_id, partner_id, first_name, username, verified, verified_at, blocked, waiting,
         last_message_at, created_at FROM telegram_user
       WHERE bot_id = $1 AND ($2::boolean IS FALSE OR waiting)
       ORDER BY waiting DESC, last_message_at DESC NULLS LAST LIMIT 500`,
      [botId, waitingOnly],
    );
    return rows.map(userView);
  }

  async messages(botId: number, telegramId: number) {
    const rows = await this.db.query(
      `SELECT m.id, m.direction, m.kind, m.text, m.by, m.at, o.status
       FROM telegram_message m LEFT JOIN telegram_outbox o ON o.key = m.key
       WHERE m.bot_id = $1 AND m.telegram_id = $2 ORDER BY m.id LIMIT 1000`,
      [botId, telegramId],
    );
    return rows.map((r: Record<string, unknown>) => ({
      id: Number(r.id),
      direction: r.direction,
      kind: r.kind,
      // A code message is kept with its placeholder: the code itself is stored nowhere.
      text: r.text,
      by: r.by,
      at: new Date(r.at as string).toISOString(),
      status: r.direction === 'out' ? (r.status ?? 'pending') : undefined,
    }));
  }

  async waitingCount(): Promise<number> {
    const [row] = await this.db.query(
      `SELECT count(*)::int AS n FROM telegram_user u JOIN telegram_bot b ON b.id = u.bot_id AND b.active
       WHERE u.waiting`,
    );
    return row.n;
  }
}

function userView(r: Record<string, unknown>) {
  const time = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
  return {
    telegram_id: Number(r.telegram_id),
    partner_id: r.partner_id === null ? null : Number(r.partner_id),
    first_name: r.first_name,
    username: r.username,
    verified: r.verified,
    verified_at: time(r.verified_at),
    blocked: r.blocked,
    waiting: r.waiting,
    last_message_at: time(r.last_message_at),
    created_at: time(r.created_at),
  };
}
