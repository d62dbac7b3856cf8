import { MigrationInterface, QueryRunner } from 'typeorm';

/** Device ids as the add-on takes them: up to 255 characters of anything. */
export class DeviceIdsAsTheAddon1764200000000 implements MigrationInterface {
  name = 'DeviceIdsAsTheAddon1764200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE user_sync_state ALTER COLUMN device_id TYPE varchar(255)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE user_sync_state ALTER COLUMN device_id TYPE varchar(128)`);
  }
}
