import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ModelEventDecoder, SCHEMA_REGISTRY, SchemaRegistry } from '@odoo-stream/schema-registry';
import { decodeCursor, Page, pageOf } from '../paging/cursor';
import { EventsQueryDto } from './events-dto';

/** The text `timestamp` shadows the column in ORDER BY: statements order by `change_event."timestamp"`. */
const SUMMARY = `event_id, model, record_id, op, uid, changed_fields, kafka_topic, kafka_partition,
  kafka_offset::text AS kafka_offset,
  to_char("timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS timestamp`;

/** How many events of one record a timeline shows (its newest). */
const TIMELINE_EVENTS = 500;

type Row = Record<string, unknown>;

function summary(row: Row): Row {
  return {
    ...row,
    record_id: Number(row.record_id),
    uid: row.uid === null ? null : Number(row.uid),
  };
}

/** The event index (`change_event`): pages of events, one event decoded, a record's timeline. */
@Injectable()
export class EventReader {
  private readonly decoder: ModelEventDecoder;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SCHEMA_REGISTRY) registry: SchemaRegistry,
  ) {
    this.decoder = new ModelEventDecoder(registry);
  }

  /**
   * Newest first, by commit time. Only the filters given are in the statement, so that the
   * planner walks the (model,) timestamp index backwards and stops at the page's end.
   */
  async list(q: EventsQueryDto): Promise<Page<Row>> {
    const params: unknown[] = [];
    const where: string[] = [];
    const add = (condition: (p: string) => string, value: unknown) => {
      if (value === undefined || value === null) return;
      params.push(value);
      where.push(condition(`$${params.length}`));
    };
    add((p) => `model = ${p}`, q.model);
    add((p) => `op = ${p}`, q.op);
    add((p) => `record_id = ${p}`, q.record_id);
    add((p) => `"timestamp" >= ${p}::timestamptz`, q.since);
    add((p) => `"timestamp" < ${p}::timestamptz`, q.until);
    if (q.cursor) {
      const [at, id] = decodeCursor<[string, string]>(q.cursor, ['string', 'string']);
      params.push(at, id);
      where.push(
        `("timestamp", event_id) < ($${params.length - 1}::timestamptz, $${params.length})`,
      );
    }
    params.push(q.limit + 1);
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${SUMMARY} FROM change_event
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY change_event."timestamp" DESC, event_id DESC LIMIT $${params.length}`,
      params,
    );
    return pageOf(rows.map(summary), q.limit, (r) => [r.timestamp as string, r.event_id as string]);
  }

  /** One event with its before and after images, decoded from the bytes Kafka holds. */
  async get(eventId: string) {
    const [row] = await this.dataSource.query(
      `SELECT ${SUMMARY}, value FROM change_event WHERE event_id = $1`,
      [eventId],
    );
    if (!row) throw new NotFoundException(`no event ${eventId} in the event index`);
    const { value, ...rest } = row as Row & { value: Buffer };
    const { event, toJson } = await this.decoder.decode(value);
    return {
      ...summary(rest),
      before: event.before ? toJson(event.before) : null,
      after: event.after ? toJson(event.after) : null,
      lsn: event.lsn,
      tx_id: event.tx_id,
      captured_at: new Date(event.captured_ms).toISOString(),
    };
  }

  /** Every event of one record (its newest 500, oldest first), who got each and whether the feed has it. */
  async timeline(model: string, recordId: number) {
    const events: Row[] = (
      await this.dataSource.query(
        `SELECT ${SUMMARY} FROM change_event WHERE model = $1 AND record_id = $2
         ORDER BY change_event."timestamp" DESC, event_id DESC LIMIT ${TIMELINE_EVENTS}`,
        [model, recordId],
      )
    )
      .reverse()
      .map(summary);
    const ids = events.map((e) => e.event_id as string);
    const [deliveries, feed]: [Row[], Row[]] = await Promise.all([
      this.dataSource.query(
        `SELECT d.event_id, d.delivery_id, d.subscriber_id, s.name AS subscriber_name, d.status,
           d.attempts, d.first_attempt_at, d.delivered_at
         FROM webhook_delivery d LEFT JOIN webhook_subscriber s ON s.id = d.subscriber_id
         WHERE d.event_id = ANY($1::varchar[]) ORDER BY d.first_attempt_at NULLS LAST`,
        [ids],
      ),
      this.dataSource.query(
        `SELECT event_id, id, is_processed FROM update_webhook WHERE event_id = ANY($1::varchar[])`,
        [ids],
      ),
    ]);
    const feedOf = new Map(
      feed.map((f) => [f.event_id, { id: Number(f.id), is_processed: f.is_processed }]),
    );
    const deliveriesOf = new Map<unknown, Row[]>();
    for (const { event_id: id, ...d } of deliveries) {
      deliveriesOf.set(id, [...(deliveriesOf.get(id) ?? []), d]);
    }
    return {
      model,
      record_id: recordId,
      events: events.map((e) => ({
        ...e,
        deliveries: deliveriesOf.get(e.event_id) ?? [],
        feed: feedOf.get(e.event_id) ?? null,
      })),
    };
  }
}
