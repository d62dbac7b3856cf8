import { KafkaMessage } from 'kafkajs';
import { EntityManager } from 'typeorm';
import { FeedConfig } from '@odoo-stream/config';
import {
  FeedProcessed,
  internalTopic,
  MalformedAcknowledgement,
  parseAcknowledgement,
} from '@odoo-stream/events';
import { ProjectedMessage, Projection } from '../framework/projection';
import { PROJECTIONS } from '../projection-catalog';
import { FeedRow, feedRow } from './feed-row';
import { ModelEventDecoder } from '@odoo-stream/schema-registry';
import { addonPayload, AddonPayloads, NO_LOOKUPS, OdooRecordNames } from '@odoo-stream/odoo';

/** A row with what `prepare` read from Odoo: the user's name and the add-on's payload. */
export type FeedItem =
  { row: FeedRow; userName?: string; payload?: Record<string, unknown> } | { ack: FeedProcessed };

/**
 * Serialises every write of feed cursor ids across all projector instances. Ids are drawn and
 * committed while the lock is held, and PostgreSQL releases a transaction's locks only after its
 * rows are visible: a reader who has seen id N can never later find a new id below N.
 */
export const FEED_CURSOR_LOCK = 7_346_221_020;

/**
 * `update_webhook`: one row per change event of every model topic, plus the mark-processed
 * acknowledgements from `<prefix>.stream.feed-acks`.
 */
export class FeedProjection implements Projection<FeedItem> {
  readonly name = 'feed';
  readonly tables = PROJECTIONS.feed.tables;

  constructor(
    private readonly prefix: string,
    private readonly config: FeedConfig,
    private readonly decoder: ModelEventDecoder,
    /**
     * Odoo's metadata and names; absent without ODOO_DATABASE_URL (user_name stays null, payloads
     * carry the record's own values in the add-on's shape).
     */
    private readonly odoo?: OdooRecordNames,
  ) {
    this.payloads = odoo ? new AddonPayloads(odoo) : undefined;
  }

  private readonly payloads?: AddonPayloads;

  /**
   * Set while a rebuild fills a copy: each row takes the id the live table gave its event, so
   * that after the swap a device's checkpoint still means what it meant (see the README).
   */
  private liveTable?: string;

  fillsCopyOf(liveSchema: string): void {
    this.liveTable = `${liveSchema}.update_webhook`;
  }

  selectTopics(existing: string[]): string[] {
    return PROJECTIONS.feed.topics(this.prefix, existing);
  }

  async decode(topic: string, partition: number, message: KafkaMessage): Promise<FeedItem | null> {
    if (topic === internalTopic(this.prefix, 'feed-acks')) {
      const ack = parseAcknowledgement(message.value);
      if (ack.type !== 'feed.processed') {
        throw new MalformedAcknowledgement(`${ack.type} does not belong on ${topic}`);
      }
      return { ack };
    }
    if (!message.value) return null; // tombstone: the unlink event came before it
    const { event, toJson } = await this.decoder.decode(message.value);
    const row = feedRow(event, toJson, this.config, { topic, partition, offset: message.offset });
    return row ? { row } : null;
  }

  async prepare(messages: ProjectedMessage<FeedItem>[]): Promise<void> {
    const rows = messages.flatMap((m) => ('row' in m.value ? [m.value] : []));
    await this.shapePayloads(rows);
    const ids = rows.flatMap(({ row }) => (row.user_id === null ? [] : [row.user_id]));
    if (!this.odoo || ids.length === 0) return;
    const names = await this.odoo.namesOf('res.users', ids);
    for (const item of rows) {
      item.userName = item.row.user_id === null ? undefined : names.get(item.row.user_id);
    }
  }

  /** The add-on's payload of each row, a batch of one model in a few queries. */
  private async shapePayloads(rows: Array<{ row: FeedRow; payload?: Record<string, unknown> }>) {
    const byModel = new Map<string, typeof rows>();
    for (const item of rows) {
      if (!byModel.has(item.row.model)) byModel.set(item.row.model, []);
      byModel.get(item.row.model)?.push(item);
    }
    for (const [model, items] of byModel) {
      const sources = items.map(({ row }) => ({
        model,
        recordId: row.record_id,
        operation: row.event,
        values: row.payload,
        changedFields: row.changed_fields,
        at: row.timestamp,
      }));
      const payloads = this.payloads
        ? await this.payloads.build(model, sources)
        : sources.map((source) => addonPayload(source, new Map(), NO_LOOKUPS));
      items.forEach((item, i) => (item.payload = payloads[i]));
    }
  }

  async apply(tx: EntityManager, messages: ProjectedMessage<FeedItem>[]): Promise<void> {
    // A rebuild's copy is renumbered under the lock at the swap; it need not hold it meanwhile.
    if (!this.liveTable) await tx.query('SELECT pg_advisory_xact_lock($1)', [FEED_CURSOR_LOCK]);
    const rows = messages.flatMap((m) =>
      'row' in m.value
        ? [
            {
              ...m.value.row,
              payload: m.value.payload ?? m.value.row.payload,
              user_name: m.value.userName ?? null,
            },
          ]
        : [],
    );
    if (rows.length > 0) await this.insertRows(tx, rows);
    for (const m of messages) {
      if ('ack' in m.value) await this.markProcessed(tx, m.value.ack);
    }
  }

  private async insertRows(tx: EntityManager, rows: Array<FeedRow & { user_name: string | null }>) {
    const ordered = rows.map((row, n) => ({ ...row, n }));
    // An acknowledgement may already be known for an event (a rebuild reads the acknowledgements
    // in parallel with the model topics): the row is then inserted processed.
    const live = this.liveTable;
    await tx.query(
      `INSERT INTO update_webhook (${live ? 'id, ' : ''}event_id, model, record_id, event, payload, changed_fields,
         "timestamp", user_id, user_name, priority, category, kafka_topic, kafka_partition,
         kafka_offset, is_processed, processed_at, processed_by)
       SELECT ${live ? `COALESCE(live.id, nextval('feed_id_seq')), ` : ''}v.event_id, v.model, v.record_id, v.event, v.payload, v.changed_fields,
         v."timestamp", v.user_id, v.user_name, v.priority, v.category, v.kafka_topic,
         v.kafka_partition, v.kafka_offset, fp.ack_id IS NOT NULL, fp.processed_at, fp.ack_id
       FROM jsonb_to_recordset($1::jsonb) AS v(event_id varchar, model varchar,
         record_id bigint, event varchar, payload jsonb, changed_fields text[],
         "timestamp" timestamptz, user_id bigint, user_name varchar, priority varchar,
         category varchar, kafka_topic varchar, kafka_partition int, kafka_offset bigint, n bigint)
       LEFT JOIN feed_processed fp ON fp.event_id = v.event_id
       ${live ? `LEFT JOIN ${live} live ON live.event_id = v.event_id` : ''}
       ORDER BY v.n
       ON CONFLICT (event_id) DO NOTHING`,
      [JSON.stringify(ordered)],
    );
  }

  private async markProcessed(tx: EntityManager, ack: FeedProcessed) {
    await tx.query(
      `INSERT INTO feed_processed (event_id, ack_id, processed_at)
       SELECT unnest($1::varchar[]), $2, $3 ON CONFLICT (event_id) DO NOTHING`,
      [ack.event_ids, ack.ack_id, ack.at],
    );
    await tx.query(
      `UPDATE update_webhook SET is_processed = true, processed_at = $3, processed_by = $2
       WHERE event_id = ANY($1::varchar[]) AND NOT is_processed`,
      [ack.event_ids, ack.ack_id, ack.at],
    );
  }
}
