import { MigrationInterface, QueryRunner } from 'typeorm';

/** Smart sync, acknowledgements, projection positions and the feed's retention watermark. */
export class CreateProjectionState1763900000000 implements MigrationInterface {
  name = 'CreateProjectionState1763900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE update_webhook ADD COLUMN processed_by varchar(64)`);
    // Acknowledged event ids, kept apart from the rows so that an acknowledgement applied before
    // its event (a rebuild reads both topics in parallel) still marks the row when it arrives.
    await db.query(`
      CREATE TABLE feed_processed (
        event_id varchar(64) PRIMARY KEY,
        ack_id varchar(64) NOT NULL,
        processed_at timestamptz NOT NULL
      )`);
    await db.query(`
      CREATE TABLE user_sync_state (
        id serial PRIMARY KEY,
        user_id bigint NOT NULL,
        device_id varchar(128) NOT NULL,
        app_type varchar(64) NOT NULL,
        last_event_id bigint NOT NULL DEFAULT 0,
        last_sync_time timestamptz,
        sync_count integer NOT NULL DEFAULT 0,
        is_active boolean NOT NULL DEFAULT true,
        device_info text,
        app_version varchar(64),
        last_event_count integer NOT NULL DEFAULT 0,
        total_events_synced bigint NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL,
        CONSTRAINT user_sync_state_user_device_key UNIQUE (user_id, device_id)
      )`);
    // Where each projection stands in each partition, written in the same transaction as its
    // rows: a batch seen again after a crash is recognised and skipped.
    await db.query(`
      CREATE TABLE projection_position (
        projection varchar(64) NOT NULL,
        topic varchar(249) NOT NULL,
        partition integer NOT NULL,
        next_offset bigint NOT NULL,
        PRIMARY KEY (projection, topic, partition)
      )`);
    await db.query(`
      CREATE TABLE feed_retention (
        id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        purged_through_id bigint NOT NULL DEFAULT 0,
        archived_total bigint NOT NULL DEFAULT 0,
        deleted_total bigint NOT NULL DEFAULT 0,
        last_run_at timestamptz
      )`);
    await db.query(`INSERT INTO feed_retention (id) VALUES (1)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE feed_retention`);
    await db.query(`DROP TABLE projection_position`);
    await db.query(`DROP TABLE user_sync_state`);
    await db.query(`DROP TABLE feed_processed`);
    await db.query(`ALTER TABLE update_webhook DROP COLUMN processed_by`);
  }
}
