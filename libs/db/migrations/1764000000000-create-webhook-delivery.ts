import { MigrationInterface, QueryRunner } from 'typeorm';
import { PROJECTION_TABLES } from '../schema/projection-tables';

/** Webhook subscribers and their subscriptions (configuration), and the delivery log. */
export class CreateWebhookDelivery1764000000000 implements MigrationInterface {
  name = 'CreateWebhookDelivery1764000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE webhook_subscriber (
        id serial PRIMARY KEY,
        name varchar(128) NOT NULL,
        endpoint_url text NOT NULL CONSTRAINT webhook_subscriber_endpoint_key UNIQUE,
        enabled boolean NOT NULL DEFAULT true,
        disabled_reason text,
        auth_type varchar(16) NOT NULL DEFAULT 'none'
          CHECK (auth_type IN ('none', 'bearer', 'basic', 'api_key')),
        auth_username text,
        auth_secret text,
        api_key_header varchar(128) NOT NULL DEFAULT 'X-API-Key',
        custom_headers jsonb NOT NULL DEFAULT '{}'::jsonb,
        secret varchar(128) NOT NULL,
        previous_secret varchar(128),
        signature_header varchar(128),
        preset varchar(32),
        timeout_ms integer NOT NULL DEFAULT 15000,
        rate_limit_per_minute integer NOT NULL DEFAULT 0,
        retry_schedule integer[] NOT NULL DEFAULT '{60,120,240,480,960}',
        ordered boolean NOT NULL DEFAULT true,
        max_concurrency integer NOT NULL DEFAULT 4,
        batch_size integer NOT NULL DEFAULT 0,
        batch_timeout_ms integer NOT NULL DEFAULT 5000,
        failing_since timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE webhook_subscription (
        id serial PRIMARY KEY,
        subscriber_id integer NOT NULL REFERENCES webhook_subscriber (id) ON DELETE CASCADE,
        model varchar(128) NOT NULL,
        events text[] NOT NULL,
        tracked_fields text[] NOT NULL DEFAULT '{}',
        filter_domain text,
        included_fields text[],
        excluded_fields text[],
        template text,
        priority varchar(8),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(
      `CREATE INDEX webhook_subscription_subscriber_idx ON webhook_subscription (subscriber_id)`,
    );
    for (const table of ['webhook_delivery', 'webhook_delivery_attempt'] as const) {
      for (const statement of PROJECTION_TABLES[table]) await db.query(statement);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE webhook_delivery_attempt`);
    await db.query(`DROP TABLE webhook_delivery`);
    await db.query(`DROP TABLE webhook_subscription`);
    await db.query(`DROP TABLE webhook_subscriber`);
  }
}
