import { MigrationInterface, QueryRunner } from 'typeorm';

/** The delivery log shows a delivery re-sent by a replay, and which replay it was. */
export class ReplayedDeliveries1764400000000 implements MigrationInterface {
  name = 'ReplayedDeliveries1764400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE webhook_delivery ADD COLUMN IF NOT EXISTS replay_id varchar(64)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE webhook_delivery DROP COLUMN replay_id`);
  }
}
