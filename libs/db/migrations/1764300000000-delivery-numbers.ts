import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deliveries get an integer id beside their delivery_id: the add-on's `webhook.event` records,
 * which odoo-stream serves over JSON-RPC from the delivery log, are numbered.
 */
export class DeliveryNumbers1764300000000 implements MigrationInterface {
  name = 'DeliveryNumbers1764300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE webhook_delivery ADD COLUMN IF NOT EXISTS id bigserial`);
    await db.query(
      `CREATE UNIQUE INDEX IF NOT EXISTS webhook_delivery_id_key ON webhook_delivery (id)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE webhook_delivery DROP COLUMN id`);
  }
}
