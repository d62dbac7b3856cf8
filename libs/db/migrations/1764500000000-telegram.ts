import { MigrationInterface, QueryRunner } from 'typeorm';
import { PROJECTION_TABLES } from '../schema/projection-tables';

const PROJECTED = [
  'telegram_user',
  'telegram_message',
  'telegram_outbox',
  'telegram_partner',
  'telegram_order',
] as const;

/**
 * Telegram bots (configuration, like subscribers), the sender's claims (kept through rebuilds:
 * a message claimed once is never sent again), and the Telegram projection's tables.
 */
export class Telegram1764500000000 implements MigrationInterface {
  name = 'Telegram1764500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE IF NOT EXISTS telegram_bot (
      id serial PRIMARY KEY,
      name varchar(128) NOT NULL CONSTRAINT telegram_bot_name_key UNIQUE,
      token text NOT NULL,
      webhook_secret varchar(256) NOT NULL CONSTRAINT telegram_bot_webhook_secret_key UNIQUE,
      code_secret varchar(64) NOT NULL,
      operators text[] NOT NULL DEFAULT '{}',
      mode varchar(16) NOT NULL DEFAULT 'webhook' CHECK (mode IN ('webhook', 'polling')),
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    // Notification rules beside the built-in one (a sale order's state): the webhook rule engine
    // plus the field naming the partner to write to.
    await db.query(`CREATE TABLE IF NOT EXISTS telegram_rule (
      id serial PRIMARY KEY,
      name varchar(128) NOT NULL,
      model varchar(128) NOT NULL,
      events text[] NOT NULL,
      tracked_fields text[] NOT NULL DEFAULT '{}',
      filter_domain text,
      template text NOT NULL,
      recipient_field varchar(128) NOT NULL DEFAULT 'partner_id',
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await db.query(`CREATE TABLE IF NOT EXISTS telegram_send_claim (
      outbox_key varchar(200) PRIMARY KEY,
      claimed_at timestamptz NOT NULL DEFAULT now(),
      settled boolean NOT NULL DEFAULT false
    )`);
    for (const table of PROJECTED) {
      for (const statement of PROJECTION_TABLES[table]) await db.query(statement);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(
      `DROP TABLE IF EXISTS ${[...PROJECTED].reverse().join(', ')}, telegram_send_claim, telegram_rule, telegram_bot`,
    );
  }
}
