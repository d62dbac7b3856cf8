import { KafkaMessage } from 'kafkajs';
import { EntityManager } from 'typeorm';
import {
  applySyncAck,
  MalformedAcknowledgement,
  parseAcknowledgement,
  SyncAck,
  SyncState,
  syncAckFromAvro,
} from '@odoo-stream/events';
import { ConfluentDecoder } from '@odoo-stream/schema-registry';
import { ProjectedMessage, Projection } from '../framework/projection';
import { PROJECTIONS } from '../projection-catalog';

const COLUMNS = `user_id, device_id, app_type, last_event_id, last_sync_time, sync_count, is_active,
  device_info, app_version, last_event_count, total_events_synced, created_at`;

/** `user_sync_state`: each device's checkpoint, from `<prefix>.stream.sync-acks`. */
export class SyncStateProjection implements Projection<SyncAck> {
  readonly name = 'sync-state';
  readonly tables = PROJECTIONS['sync-state'].tables;

  constructor(
    private readonly prefix: string,
    /** For acknowledgements other producers write Confluent-framed (SYNC_ACK_SCHEMA). */
    private readonly avro?: ConfluentDecoder,
  ) {}

  selectTopics(existing: string[]): string[] {
    return PROJECTIONS['sync-state'].topics(this.prefix, existing);
  }

  async decode(topic: string, _partition: number, message: KafkaMessage): Promise<SyncAck> {
    // JSON never starts with a zero byte; the Confluent wire format always does.
    const framed = this.avro && message.value && message.value[0] === 0;
    const ack = parseAcknowledgement(
      framed
        ? syncAckFromAvro((await this.avro!.decode<Record<string, unknown>>(message.value!)).value)
        : message.value,
    );
    if (ack.type === 'feed.processed') {
      throw new MalformedAcknowledgement(`${ack.type} does not belong on ${topic}`);
    }
    return ack;
  }

  /**
   * A device's acknowledgements share one partition (keyed by device), so the offset of the last
   * one applied, kept on the row, tells an acknowledgement read again (after a crash or a group
   * reset) from a new one: counters are never counted twice.
   */
  async apply(tx: EntityManager, messages: ProjectedMessage<SyncAck>[]): Promise<void> {
    for (const { value: ack, offset } of messages) {
      const rows: Array<Record<string, unknown>> = await tx.query(
        `SELECT ${COLUMNS}, applied_offset FROM user_sync_state
         WHERE user_id = $1 AND device_id = $2 FOR UPDATE`,
        [ack.user_id, ack.device_id],
      );
      if (rows[0] && BigInt(rows[0].applied_offset as string) >= BigInt(offset)) continue;
      const next = applySyncAck(rows[0] ? fromRow(rows[0]) : undefined, ack);
      const stateId = ack.type === 'sync.registered' ? (ack.state_id ?? null) : null;
      if (next) await this.save(tx, next, offset, stateId);
      else if (rows[0]) {
        await tx.query(
          `UPDATE user_sync_state SET applied_offset = $3 WHERE user_id = $1 AND device_id = $2`,
          [ack.user_id, ack.device_id, offset],
        );
      }
    }
  }

  /**
   * A new device takes the id the api gave it in its registration (already in the api's answer,
   * and the same after a rebuild); the sequence's next value when there is none or it is taken.
   */
  private async save(tx: EntityManager, s: SyncState, offset: string, stateId: number | null) {
    await tx.query(
      `INSERT INTO user_sync_state (id, ${COLUMNS}, applied_offset)
       VALUES (CASE WHEN $14::int IS NOT NULL
                     AND NOT EXISTS (SELECT 1 FROM user_sync_state WHERE id = $14::int)
                    THEN $14::int ELSE nextval(pg_get_serial_sequence('user_sync_state', 'id')) END,
               $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (user_id, device_id) DO UPDATE SET app_type = EXCLUDED.app_type,
         last_event_id = EXCLUDED.last_event_id, last_sync_time = EXCLUDED.last_sync_time,
         sync_count = EXCLUDED.sync_count, is_active = EXCLUDED.is_active,
         device_info = EXCLUDED.device_info, app_version = EXCLUDED.app_version,
         last_event_count = EXCLUDED.last_event_count,
         total_events_synced = EXCLUDED.total_events_synced,
         applied_offset = EXCLUDED.applied_offset`,
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
        offset,
        stateId,
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
