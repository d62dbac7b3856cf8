import { Api } from 'grammy';
import { Logger } from 'pino';
import { DataSource } from 'typeorm';
import {
  blockedByUser,
  botApiProblem,
  TelegramEvent,
  verificationCode,
} from '@odoo-stream/telegram';
import { TelegramMetrics } from './telegram-metrics';

interface OutboxMessage {
  key: string;
  created_at: Date;
  bot_id: number;
  telegram_id: string;
  kind: string;
  text: string;
}

interface OutboxRow extends OutboxMessage {
  code_key: string | null;
  code_secret: string;
  token: string;
  blocked: boolean | null;
}

/** What every send result says of its message; `at` is now (a sent message sets it again). */
function resultOf(row: OutboxMessage) {
  return {
    outbox_key: row.key,
    bot_id: row.bot_id,
    telegram_id: Number(row.telegram_id),
    kind: row.kind,
    text: row.text,
    created_at: new Date(row.created_at).toISOString(),
    at: new Date().toISOString(),
  };
}

/** Where send results go: the Telegram topic, which the projection applies. */
export type TelegramEventSink = (event: TelegramEvent) => Promise<void>;

/**
 * Works through the outbox the Telegram projection fills: in order, one message at a time, for
 * active bots. Each message is claimed first (telegram_send_claim, kept through rebuilds), so
 * it is sent at most once however often the projection is replayed or rebuilt; the result goes
 * to the Telegram topic. A 403 marks the user blocked; their later messages are failed unsent.
 */
export class TelegramSender {
  private readonly metrics = TelegramMetrics.get();

  constructor(
    private readonly db: DataSource,
    private readonly api: (token: string) => Api,
    private readonly publish: TelegramEventSink,
    private readonly logger: Logger,
  ) {}

  /**
   * A claim without a result is a sender that stopped during a send: the message may have
   * arrived, so it is not sent again; it is recorded as failed, saying so.
   */
  async settleInterrupted(): Promise<number> {
    const rows: OutboxMessage[] = await this.db.query(
      `SELECT o.key, o.bot_id, o.telegram_id, o.kind, o.text, o.created_at FROM telegram_send_claim c
         JOIN telegram_outbox o ON o.key = c.outbox_key AND o.status = 'pending'
       WHERE NOT c.settled`,
    );
    for (const row of rows) {
      await this.settle(row.key, {
        type: 'message.failed',
        ...resultOf(row),
        reason: 'the sender stopped while sending it; not sent again (it may have arrived)',
        blocked: false,
      });
    }
    return rows.length;
  }

  /** Sends what is pending, oldest first; returns how many it handled. */
  async sendPending(limit = 100): Promise<number> {
    const rows: OutboxRow[] = await this.db.query(
      `SELECT o.key, o.created_at, o.bot_id, o.telegram_id, o.kind, o.text, o.code_key, b.code_secret, b.token,
         u.blocked
       FROM telegram_outbox o
         JOIN telegram_bot b ON b.id = o.bot_id AND b.active
         LEFT JOIN telegram_user u ON u.bot_id = o.bot_id AND u.telegram_id = o.telegram_id
       WHERE o.status = 'pending' AND o.text IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM telegram_send_claim c WHERE c.outbox_key = o.key)
       ORDER BY o.seq LIMIT $1`,
      [limit],
    );
    for (const row of rows) await this.sendOne(row);
    return rows.length;
  }

  private async sendOne(row: OutboxRow): Promise<void> {
    const [claimed] = await this.db.query(
      `INSERT INTO telegram_send_claim (outbox_key) VALUES ($1) ON CONFLICT DO NOTHING RETURNING outbox_key`,
      [row.key],
    );
    if (!claimed) return; // another dispatcher has it
    const base = resultOf(row);
    if (row.blocked) {
      this.metrics.messages.inc({ kind: row.kind, outcome: 'blocked' });
      await this.settle(row.key, {
        type: 'message.failed',
        ...base,
        reason: 'the user has blocked the bot',
        blocked: true,
      });
      return;
    }
    const text =
      row.kind === 'code' && row.code_key
        ? row.text.replace('{code}', verificationCode(row.code_secret, row.code_key))
        : row.text;
    try {
      const sent = await this.api(row.token).sendMessage(Number(row.telegram_id), text);
      this.metrics.messages.inc({ kind: row.kind, outcome: 'sent' });
      await this.settle(row.key, {
        type: 'message.sent',
        ...base,
        message_id: sent.message_id,
        at: new Date().toISOString(),
      });
    } catch (error) {
      const blocked = blockedByUser(error);
      const reason = botApiProblem(error);
      this.metrics.messages.inc({ kind: row.kind, outcome: blocked ? 'blocked' : 'failed' });
      this.logger.warn(
        { bot: row.bot_id, kind: row.kind, reason },
        `telegram message not sent to a user of bot ${row.bot_id}: ${reason}`,
      );
      await this.settle(row.key, {
        type: 'message.failed',
        ...base,
        reason,
        blocked,
        at: new Date().toISOString(),
      });
    }
  }

  private async settle(key: string, event: TelegramEvent): Promise<void> {
    await this.publish(event);
    await this.db.query(`UPDATE telegram_send_claim SET settled = true WHERE outbox_key = $1`, [
      key,
    ]);
  }
}
