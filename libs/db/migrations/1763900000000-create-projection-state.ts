import { MigrationInterface, QueryRunner } from 'typeorm';
import { PROJECTION_TABLES } from '../schema/projection-tables';

/** Smart sync, acknowledgements, projection positions and the feed's retention watermark. */
export class CreateProjectionState1763900000000 implements MigrationInterface {
  name = 'CreateProjectionState1763900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE update_webhook ADD COLUMN processed_by varchar(64)`);
    for (const table of [
      'feed_processed',
      'user_sync_state',
      'projection_position',
      'feed_retention',
    ] as const) {
      for (const statement of PROJECTION_TABLES[table]) await db.query(statement);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE feed_retention`);
    await db.query(`DROP TABLE projection_position`);
    await db.query(`DROP TABLE user_sync_state`);
    await db.query(`DROP TABLE feed_processed`);
    await db.query(`ALTER TABLE update_webhook DROP COLUMN processed_by`);
  }
}
