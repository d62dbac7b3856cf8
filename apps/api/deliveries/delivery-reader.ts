import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DeliveriesQueryDto } from './deliveries-dto';
import { decodeCursor, Page, pageOf } from '../paging/cursor';

/** Reads of the delivery log (`webhook_delivery`, `webhook_delivery_attempt`). */
@Injectable()
export class DeliveryReader {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Newest first by the delivery's first attempt, which never changes: a page boundary stays put
   * while attempts go on (a delivery that fails again does not jump over it).
   */
  async list(q: DeliveriesQueryDto): Promise<Page<Record<string, unknown>>> {
    const [afterAt, afterId] = q.cursor
      ? decodeCursor<[string, string]>(q.cursor, ['string', 'string'])
      : [null, null];
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT delivery_id, subscriber_id, event_id, model, record_id, event, status, attempts,
         http_status, duration_ms, error_class, error_message, next_retry_at, first_attempt_at,
         last_attempt_at, delivered_at, replay_id,
         to_char(first_attempt_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS page_key
       FROM webhook_delivery
       WHERE ($1::int IS NULL OR subscriber_id = $1) AND ($2::text IS NULL OR status = $2)
         AND ($3::text IS NULL OR model = $3) AND ($4::timestamptz IS NULL OR last_attempt_at >= $4)
         AND ($6::timestamptz IS NULL OR (first_attempt_at, delivery_id) < ($6, $7))
       ORDER BY first_attempt_at DESC, delivery_id DESC LIMIT $5 + 1`,
      [
        q.subscriber ?? null,
        q.status ?? null,
        q.model ?? null,
        q.since ?? null,
        q.limit,
        afterAt,
        afterId,
      ],
    );
    const page = pageOf(rows, q.limit, (r) => [r.page_key as string, r.delivery_id as string]);
    return {
      ...page,
      items: page.items.map(({ page_key: _, ...row }) => ({
        ...row,
        record_id: Number(row.record_id),
      })),
    };
  }

  /** The delivery's row (its latest state, `attempts` being their count). */
  async row(id: string): Promise<Record<string, unknown>> {
    const [delivery] = await this.dataSource.query(
      `SELECT * FROM webhook_delivery WHERE delivery_id = $1`,
      [id],
    );
    if (!delivery) throw new NotFoundException(`no delivery ${id}`);
    // bigint comes back as text; record ids fit a JSON number. The row number is for the
    // add-on's webhook.event over JSON-RPC; this API names deliveries by delivery_id.
    const row: Record<string, unknown> = { ...delivery, record_id: Number(delivery.record_id) };
    delete row.id;
    return row;
  }

  /** The delivery with every attempt (`attempts` being their list). */
  async get(id: string) {
    const delivery = await this.row(id);
    const attempts = await this.dataSource.query(
      `SELECT attempt, status, http_status, duration_ms, error_class, error_message,
         response_excerpt, next_retry_at, at
       FROM webhook_delivery_attempt WHERE delivery_id = $1 ORDER BY attempt`,
      [id],
    );
    return { ...delivery, attempts };
  }

  /** Failed and dead deliveries of a subscriber since a time, oldest first. */
  recoverable(subscriberId: number, since: string) {
    return this.dataSource.query(
      `SELECT * FROM webhook_delivery
       WHERE subscriber_id = $1 AND status IN ('failed', 'dead') AND last_attempt_at >= $2
       ORDER BY first_attempt_at`,
      [subscriberId, since],
    );
  }

  /** Success rate and attempt latency of one subscriber. */
  async stats(subscriberId: number) {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS deliveries,
         count(*) FILTER (WHERE d.status = 'pending')::int AS pending,
         count(*) FILTER (WHERE d.status = 'sent')::int AS sent,
         count(*) FILTER (WHERE d.status = 'failed')::int AS failed,
         count(*) FILTER (WHERE d.status = 'dead')::int AS dead
       FROM webhook_delivery d WHERE d.subscriber_id = $1`,
      [subscriberId],
    );
    // Attempt 0 is the pending placeholder a delivery gets while it waits: not an attempt.
    const [latency] = await this.dataSource.query(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY a.duration_ms) AS p50,
         percentile_cont(0.99) WITHIN GROUP (ORDER BY a.duration_ms) AS p99,
         count(*)::int AS attempts
       FROM webhook_delivery_attempt a JOIN webhook_delivery d USING (delivery_id)
       WHERE d.subscriber_id = $1 AND a.attempt > 0`,
      [subscriberId],
    );
    const tried = row.deliveries - row.pending;
    return {
      subscriber_id: subscriberId,
      ...row,
      attempts: latency.attempts,
      success_rate: tried > 0 ? row.sent / tried : null,
      latency_ms: { p50: latency.p50, p99: latency.p99 },
    };
  }
}
