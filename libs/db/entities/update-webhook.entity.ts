import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { FeedPriority } from '@odoo-stream/config';

export type FeedEvent = 'create' | 'write' | 'unlink';

/**
 * The pull feed (`update.webhook` of the add-on it replaces): one row per event, never one per
 * record. `id` is the cursor clients page with.
 */
@Entity({ name: 'update_webhook' })
@Index('update_webhook_pending_idx', ['id'], { where: 'NOT is_processed AND NOT is_archived' })
export class UpdateWebhookEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'event_id', type: 'varchar', length: 64, unique: true })
  eventId: string;

  @Column({ type: 'varchar', length: 128 })
  model: string;

  @Column({ name: 'record_id', type: 'bigint' })
  recordId: string;

  @Column({ type: 'varchar', length: 16 })
  event: FeedEvent;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  payload: Record<string, unknown>;

  @Column({ name: 'changed_fields', type: 'text', array: true, default: () => "'{}'" })
  changedFields: string[];

  @Column({ type: 'timestamptz' })
  timestamp: Date;

  @Column({ name: 'user_id', type: 'bigint', nullable: true })
  userId: string | null;

  @Column({ name: 'user_name', type: 'varchar', length: 256, nullable: true })
  userName: string | null;

  @Column({ type: 'varchar', length: 8, default: 'medium' })
  priority: FeedPriority;

  @Column({ type: 'varchar', length: 64, nullable: true })
  category: string | null;

  @Column({ name: 'is_processed', type: 'boolean', default: false })
  isProcessed: boolean;

  @Column({ name: 'processed_at', type: 'timestamptz', nullable: true })
  processedAt: Date | null;

  /** The acknowledgement (mark-processed call) that processed the row. */
  @Column({ name: 'processed_by', type: 'varchar', length: 64, nullable: true })
  processedBy: string | null;

  @Column({ name: 'is_archived', type: 'boolean', default: false })
  isArchived: boolean;

  @Column({ name: 'archived_at', type: 'timestamptz', nullable: true })
  archivedAt: Date | null;

  @Column({ name: 'kafka_topic', type: 'varchar', length: 249 })
  kafkaTopic: string;

  @Column({ name: 'kafka_partition', type: 'int' })
  kafkaPartition: number;

  @Column({ name: 'kafka_offset', type: 'bigint' })
  kafkaOffset: string;
}
