import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { maskToken } from '@odoo-stream/telegram';
import { BotDto, UpdateBotDto } from './telegram-dto';

export interface BotRecord {
  id: number;
  name: string;
  token: string;
  webhook_secret: string;
  operators: string[];
  mode: 'webhook' | 'polling';
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

/** A bot as answers show it: the token masked, the code secret never. */
export function botView(bot: BotRecord, showSecret = false) {
  return {
    id: bot.id,
    name: bot.name,
    token: maskToken(bot.token),
    webhook_secret: showSecret ? bot.webhook_secret : `${bot.webhook_secret.slice(0, 4)}…`,
    webhook_path: showSecret ? `/telegram/webhook/${bot.webhook_secret}` : undefined,
    operators: bot.operators,
    mode: bot.mode,
    active: bot.active,
    created_at: new Date(bot.created_at).toISOString(),
    updated_at: new Date(bot.updated_at).toISOString(),
  };
}

const COLUMNS = 'id, name, token, webhook_secret, operators, mode, active, created_at, updated_at';

/** Telegram bots' configuration (service database; not a projection, like subscribers). */
@Injectable()
export class TelegramBotStore {
  constructor(private readonly db: DataSource) {}

  async list(): Promise<BotRecord[]> {
    return this.db.query(`SELECT ${COLUMNS} FROM telegram_bot ORDER BY id`);
  }

  async get(id: number): Promise<BotRecord> {
    const [row] = await this.db.query(`SELECT ${COLUMNS} FROM telegram_bot WHERE id = $1`, [id]);
    if (!row) throw new NotFoundException(`telegram bot ${id} not found`);
    return row;
  }

  async bySecret(secret: string): Promise<BotRecord | null> {
    const [row] = await this.db.query(
      `SELECT ${COLUMNS} FROM telegram_bot WHERE webhook_secret = $1`,
      [secret],
    );
    return row ?? null;
  }

  async create(dto: BotDto): Promise<BotRecord> {
    try {
      const [row] = await this.db.query(
        `INSERT INTO telegram_bot (name, token, webhook_secret, code_secret, operators, mode, active)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
        [
          dto.name,
          dto.token,
          dto.webhook_secret ?? randomBytes(24).toString('base64url'),
          randomBytes(32).toString('hex'),
          dto.operators ?? [],
          dto.mode ?? 'webhook',
          dto.active ?? true,
        ],
      );
      return row;
    } catch (error) {
      throw conflict(error);
    }
  }

  async update(id: number, dto: UpdateBotDto): Promise<BotRecord> {
    const current = await this.get(id);
    try {
      // TypeORM answers an UPDATE with [rows, affected].
      const [[row]] = await this.db.query(
        `UPDATE telegram_bot SET name = $2, token = $3, webhook_secret = $4, operators = $5, mode = $6,
           active = $7, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
        [
          id,
          dto.name ?? current.name,
          dto.token ?? current.token,
          dto.webhook_secret ?? current.webhook_secret,
          dto.operators ?? current.operators,
          dto.mode ?? current.mode,
          dto.active ?? current.active,
        ],
      );
      return row;
    } catch (error) {
      throw conflict(error);
    }
  }

  async remove(id: number): Promise<void> {
    await this.get(id);
    await this.db.query(`DELETE FROM telegram_bot WHERE id = $1`, [id]);
  }
}

function conflict(error: unknown): unknown {
  const constraint = (error as { constraint?: string }).constraint;
  if (constraint === 'telegram_bot_name_key') return new ConflictException('name is taken');
  if (constraint === 'telegram_bot_webhook_secret_key') {
    return new ConflictException('webhook_secret is taken by another bot');
  }
  return error;
}
