import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateUpdateWebhook1763800000000 implements MigrationInterface {
  name = 'CreateUpdateWebhook1763800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE update_webhook (
        id bigserial PRIMARY KEY,
        event_id varchar(64) NOT NULL CONSTRAINT update_webhook_event_id_key UNIQUE,
        model varchar(128) NOT NULL,
        record_id bigint NOT NULL,
        event varchar(16) NOT NULL CHECK (event IN ('create', 'write', 'unlink')),
        payload jsonb NOT NULL DEFAULT '{}'::jsonb,
        changed_fields text[] NOT NULL DEFAULT '{}',
        "timestamp" timestamptz NOT NULL,
        user_id bigint,
        user_name varchar(256),
        priority varchar(8) NOT NULL DEFAULT 'medium' CHECK (priority IN ('high', 'medium', 'low')),
        category varchar(64),
        is_processed boolean NOT NULL DEFAULT false,
        processed_at timestamptz,
        is_archived boolean NOT NULL DEFAULT false,
        archived_at timestamptz,
        kafka_topic varchar(249) NOT NULL,
        kafka_partition integer NOT NULL,
        kafka_offset bigint NOT NULL
      )`);
    await db.query(
      `CREATE INDEX update_webhook_pending_idx ON update_webhook (id) WHERE NOT is_processed AND NOT is_archived`,
    );
    await db.query(`CREATE INDEX update_webhook_model_idx ON update_webhook (model, id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE update_webhook`);
  }
}
