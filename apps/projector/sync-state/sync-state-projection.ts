import { KafkaMessage } from 'kafkajs';
import { EntityManager } from 'typeorm';
import { MalformedAcknowledgement, parseAcknowledgement, SyncAck } from '@odoo-stream/events';
import { ProjectedMessage, Projection } from '../framework/projection';
import { applySyncAck, SyncState } from './sync-state-reducer';

const COLUMNS = `user_id, device_id, app_type, last_event_id, last_sync_time, sync_count, is_active,
  device_info, app_version, last_event_count, total_events_synced, created_at`;

/** `user_sync_state`: each device's checkpoint, from `<prefix>.stream.sync-acks`. */
export class SyncStateProjection implements Projection<SyncAck> {
  readonly name = 'sync-state';

  constructor(private readonly ackTopic: string) {}

  selectTopics(existing: string[]): string[] {
    return existing.filter((t) => t === this.ackTopic);
  }

  async decode(topic: string, _partition: number, message: KafkaMessage): Promise<SyncAck> {
    const ack = parseAcknowledgement(message.value);
    if (ack.type === 'feed.processed') {
      throw new MalformedAcknowledgement(`${ack.type} does not belong on ${topic}`);
    }
    return ack;
  }

  async apply(tx: EntityManager, messages: ProjectedMessage<SyncAck>[]): Promise<void> {
    for (const { value: ack } of messages) {
      const rows: Array<Record<string, unknown>> = await tx.query(
        `SELECT ${COLUMNS} FROM user_sync_state WHERE user_id = $1 AND device_id = $2 FOR UPDATE`,
        [ack.user_id, ack.device_id],
      );
      const next = applySyncAck(rows[0] ? fromRow(rows[0]) : undefined, ack);
      if (next) await this.save(tx, next);
    }
  }

  private async save(tx: EntityManager, s: SyncState) {
    await tx.query(
      `INSERT INTO user_sync_state (${COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (user_id, device_id) DO UPDATE SET app_type = EXCLUDED.app_type,
         last_event_id = EXCLUDED.last_event_id, last_sync_time = EXCLUDED.last_sync_time,
         sync_count = EXCLUDED.sync_count, is_active = EXCLUDED.is_active,
         device_info = EXCLUDED.device_info, app_version = EXCLUDED.app_version,
         last_event_count = EXCLUDED.last_event_count,
         total_events_synced = EXCLUDED.total_events_synced`,
      [
        s.user_id,
        s.device_id,
        s.app_type,
        s.last_event_id,
        s.last_sync_time,
        s.sync_count,
        s.is_active,
        s.device_info,
        s.app_version,
        s.last_event_count,
        s.total_events_synced,
        s.created_at,
      ],
    );
  }
}

function fromRow(row: Record<string, unknown>): SyncState {
  const time = (v: unknown) => (v instanceof Date ? v.toISOString() : (v as string | null));
  return {
    user_id: Number(row.user_id),
    device_id: row.device_id as string,
    app_type: row.app_type as string,
    last_event_id: Number(row.last_event_id),
    last_sync_time: time(row.last_sync_time),
    sync_count: Number(row.sync_count),
    is_active: row.is_active as boolean,
    device_info: row.device_info as string | null,
    app_version: row.app_version as string | null,
    last_event_count: Number(row.last_event_count),
    total_events_synced: Number(row.total_events_synced),
    created_at: time(row.created_at) as string,
  };
}
