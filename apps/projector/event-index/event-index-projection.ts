import { KafkaMessage } from 'kafkajs';
import { EntityManager } from 'typeorm';
import { ChangeEvent } from '@odoo-stream/events';
import { ConfluentDecoder } from '@odoo-stream/schema-registry';
import { ProjectedMessage, Projection } from '../framework/projection';
import { PROJECTIONS } from '../projection-catalog';
import { minuteCounts } from './change-rate';

export interface IndexedEvent {
  event_id: string;
  model: string;
  record_id: number;
  op: string;
  ts_ms: number;
  uid: number | null;
  changed_fields: string[];
  value: Buffer;
}

/**
 * `change_event` and `change_rate`: what the dashboard browses and charts. Each event is kept as
 * the bytes read (the api decodes one when it is opened), so indexing costs one decode and one
 * insert per event, not the shaping of its images.
 */
export class EventIndexProjection implements Projection<IndexedEvent> {
  readonly name = 'events';
  readonly tables = PROJECTIONS.events.tables;

  constructor(
    private readonly prefix: string,
    private readonly decoder: ConfluentDecoder,
  ) {}

  selectTopics(existing: string[]): string[] {
    return PROJECTIONS.events.topics(this.prefix, existing);
  }

  async decode(_topic: string, _partition: number, message: KafkaMessage) {
    if (!message.value) return null; // tombstone: the unlink event came before it
    const { value: e } = await this.decoder.decode<ChangeEvent>(message.value);
    return {
      event_id: e.event_id,
      model: e.model,
      record_id: e.record_id,
      op: e.op,
      ts_ms: e.ts_ms,
      uid: e.uid,
      changed_fields: e.changed_fields,
      value: message.value,
    };
  }

  /** One insert for the batch; minutes count only the events this insert added (replays). */
  async apply(tx: EntityManager, messages: ProjectedMessage<IndexedEvent>[]): Promise<void> {
    if (messages.length === 0) return;
    const column = <K extends keyof IndexedEvent>(k: K) => messages.map((m) => m.value[k]);
    const added: Array<{ model: string; ms: string }> = await tx.query(
      `INSERT INTO change_event (event_id, model, record_id, op, "timestamp", uid, changed_fields,
         kafka_topic, kafka_partition, kafka_offset, value)
       SELECT v.event_id, v.model, v.record_id, v.op, to_timestamp(v.ts_ms / 1000.0), v.uid,
         string_to_array(v.changed, ','), v.topic, v.partition, v.kafka_offset, v.value
       FROM unnest($1::varchar[], $2::varchar[], $3::bigint[], $4::varchar[], $5::bigint[],
         $6::bigint[], $7::text[], $8::varchar[], $9::int[], $10::bigint[], $11::bytea[])
         AS v(event_id, model, record_id, op, ts_ms, uid, changed, topic, partition,
           kafka_offset, value)
       ON CONFLICT (event_id) DO NOTHING
       RETURNING model, (extract(epoch FROM "timestamp") * 1000)::bigint AS ms`,
      [
        column('event_id'),
        column('model'),
        column('record_id'),
        column('op'),
        column('ts_ms'),
        column('uid'),
        // Field names never hold a comma (they are column names).
        messages.map((m) => m.value.changed_fields.join(',')),
        messages.map((m) => m.topic),
        messages.map((m) => m.partition),
        messages.map((m) => m.offset),
        column('value'),
      ],
    );
    const counts = minuteCounts(added.map((a) => ({ model: a.model, timestampMs: Number(a.ms) })));
    if (counts.length === 0) return;
    await tx.query(
      `INSERT INTO change_rate (model, minute, changes)
       SELECT * FROM unnest($1::varchar[], $2::timestamptz[], $3::int[])
       ON CONFLICT (minute, model) DO UPDATE SET changes = change_rate.changes + EXCLUDED.changes`,
      [counts.map((c) => c.model), counts.map((c) => c.minute), counts.map((c) => c.changes)],
    );
  }
}
