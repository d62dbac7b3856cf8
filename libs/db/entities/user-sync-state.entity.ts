import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** One device of one user: its smart-sync checkpoint (`user.sync.state` of the add-on). */
@Entity({ name: 'user_sync_state' })
@Unique('user_sync_state_user_device_key', ['userId', 'deviceId'])
export class UserSyncStateEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'user_id', type: 'bigint' })
  userId: string;

  @Column({ name: 'device_id', type: 'varchar', length: 128 })
  deviceId: string;

  @Column({ name: 'app_type', type: 'varchar', length: 64 })
  appType: string;

  @Column({ name: 'last_event_id', type: 'bigint', default: 0 })
  lastEventId: string;

  @Column({ name: 'last_sync_time', type: 'timestamptz', nullable: true })
  lastSyncTime: Date | null;

  @Column({ name: 'sync_count', type: 'int', default: 0 })
  syncCount: number;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive: boolean;

  @Column({ name: 'device_info', type: 'text', nullable: true })
  deviceInfo: string | null;

  @Column({ name: 'app_version', type: 'varchar', length: 64, nullable: true })
  appVersion: string | null;

  @Column({ name: 'last_event_count', type: 'int', default: 0 })
  lastEventCount: number;

  @Column({ name: 'total_events_synced', type: 'bigint', default: 0 })
  totalEventsSynced: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** Offset of the last acknowledgement applied: one read again after a reset changes nothing. */
  @Column({ name: 'applied_offset', type: 'bigint', default: -1 })
  appliedOffset: string;
}
