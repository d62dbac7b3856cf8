import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Feed ids come from `feed_id_seq`, a sequence of its own: the `bigserial` sequence belonged to
 * `update_webhook` and went with it when the table was dropped for a rebuild, so the recreated
 * table handed out ids from 1 again (a client at N never saw them). Subscribers get `rotated_at`:
 * the previous secret signs until the receiver confirms, or the rotation's overlap has passed.
 */
export class KeepFeedIdsAndRotation1764100000000 implements MigrationInterface {
  name = 'KeepFeedIdsAndRotation1764100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE SEQUENCE IF NOT EXISTS feed_id_seq AS bigint`);
    await db.query(`
      SELECT setval('feed_id_seq', GREATEST(
        (SELECT last_value FROM update_webhook_id_seq),
        (SELECT COALESCE(max(id), 0) FROM update_webhook), 1))`);
    await db.query(`ALTER TABLE update_webhook ALTER COLUMN id SET DEFAULT nextval('feed_id_seq')`);
    await db.query(`DROP SEQUENCE update_webhook_id_seq`);
    await db.query(`ALTER TABLE webhook_subscriber ADD COLUMN rotated_at timestamptz`);
    await db.query(
      `UPDATE webhook_subscriber SET rotated_at = updated_at WHERE previous_secret IS NOT NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE webhook_subscriber DROP COLUMN rotated_at`);
    await db.query(`CREATE SEQUENCE update_webhook_id_seq OWNED BY update_webhook.id`);
    await db.query(`SELECT setval('update_webhook_id_seq', (SELECT last_value FROM feed_id_seq))`);
    await db.query(
      `ALTER TABLE update_webhook ALTER COLUMN id SET DEFAULT nextval('update_webhook_id_seq')`,
    );
    await db.query(`DROP SEQUENCE feed_id_seq`);
  }
}
