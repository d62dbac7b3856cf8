import { MigrationInterface, QueryRunner } from 'typeorm';
import { PROJECTION_TABLES } from '../schema/projection-tables';

/**
 * The dashboard: its sessions (the hash of each token, the admin key's name, the end), the event
 * index projection's tables, and indexes for the pages that read the delivery log (newest first,
 * by subscriber, by event).
 */
export class Dashboard1764600000000 implements MigrationInterface {
  name = 'Dashboard1764600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE IF NOT EXISTS dashboard_session (
      token_sha256 char(64) PRIMARY KEY,
      key_name varchar(128) NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL
    )`);
    for (const table of ['change_event', 'change_rate'] as const) {
      for (const statement of PROJECTION_TABLES[table]) await db.query(statement);
    }
    for (const statement of PROJECTION_TABLES.webhook_delivery) await db.query(statement);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS change_event, change_rate, dashboard_session`);
    await db.query(`DROP INDEX IF EXISTS webhook_delivery_newest_idx`);
    await db.query(`DROP INDEX IF EXISTS webhook_delivery_subscriber_newest_idx`);
    await db.query(`DROP INDEX IF EXISTS webhook_delivery_event_idx`);
  }
}
