import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { highestFeedId } from '@odoo-stream/db';
import { FeedPriority } from '@odoo-stream/config';
import { FeedEventView } from './feed-dto';

export interface FeedQuery {
  after: number;
  limit: number;
  models?: string[];
  priority?: FeedPriority;
  /** v1 hides processed and archived rows; a device's v2 sync sees every row still kept. */
  pendingOnly: boolean;
}

/** Reads of `update_webhook` for the pull and sync endpoints. */
@Injectable()
export class FeedReader {
  constructor(private readonly dataSource: DataSource) {}

  /** Rows after the cursor in id order, and whether more match beyond `limit`. */
  async page(query: FeedQuery): Promise<{ events: FeedEventView[]; hasMore: boolean }> {
    const params: unknown[] = [query.after, query.limit + 1];
    const where = ['id > $1'];
    if (query.pendingOnly) where.push('NOT is_processed', 'NOT is_archived');
    if (query.models) {
      params.push(query.models);
      where.push(`model = ANY($${params.length}::varchar[])`);
    }
    if (query.priority) {
      params.push(query.priority);
      where.push(`priority = $${params.length}`);
    }
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT id, model, record_id, event, "timestamp", payload, priority, category, user_id,
         user_name
       FROM update_webhook WHERE ${where.join(' AND ')} ORDER BY id LIMIT $2`,
      params,
    );
    return {
      events: rows.slice(0, query.limit).map((r) => ({
        id: Number(r.id),
        model: r.model as string,
        record_id: Number(r.record_id),
        event: r.event as string,
        timestamp: (r.timestamp as Date).toISOString(),
        payload: r.payload as Record<string, unknown>,
        priority: r.priority as string,
        category: r.category as string,
        user_id: r.user_id === null ? null : Number(r.user_id),
        user_name: r.user_name as string | null,
      })),
      hasMore: rows.length > query.limit,
    };
  }

  /** The stable event ids of these feed ids (unknown ids are left out). */
  async eventIds(ids: number[]): Promise<string[]> {
    const rows: Array<{ event_id: string }> = await this.dataSource.query(
      `SELECT event_id FROM update_webhook WHERE id = ANY($1::bigint[])`,
      [ids],
    );
    return rows.map((r) => r.event_id);
  }

  /** The highest feed id handed out so far. */
  highestId(): Promise<number> {
    return highestFeedId(this.dataSource);
  }

  async pendingCount(): Promise<number> {
    const [row]: Array<{ n: string }> = await this.dataSource.query(
      `SELECT count(*) AS n FROM update_webhook WHERE NOT is_processed AND NOT is_archived`,
    );
    return Number(row.n);
  }

  /** Highest id retention deleted: a checkpoint below it may have missed rows. */
  async purgedThroughId(): Promise<number> {
    const rows: Array<{ purged_through_id: string }> = await this.dataSource.query(
      `SELECT purged_through_id FROM feed_retention WHERE id = 1`,
    );
    return Number(rows[0]?.purged_through_id ?? 0);
  }

  async stats(days: number) {
    const since = new Date(Date.now() - days * 86_400_000);
    const [totals]: Array<Record<string, string>> = await this.dataSource.query(
      `SELECT count(*) AS total,
         count(*) FILTER (WHERE is_processed) AS processed,
         count(*) FILTER (WHERE NOT is_processed AND NOT is_archived) AS pending,
         count(*) FILTER (WHERE is_archived) AS archived
       FROM update_webhook WHERE "timestamp" >= $1`,
      [since],
    );
    const grouped = async (column: 'model' | 'priority', limit: number | null) => {
      const rows: Array<{ key: string; n: string }> = await this.dataSource.query(
        `SELECT ${column} AS key, count(*) AS n FROM update_webhook WHERE "timestamp" >= $1
         GROUP BY ${column} ORDER BY count(*) DESC, ${column} LIMIT $2`,
        [since, limit],
      );
      return rows.map((r) => ({ key: r.key, count: Number(r.n) }));
    };
    return {
      period_days: days,
      total: Number(totals.total),
      processed: Number(totals.processed),
      pending: Number(totals.pending),
      archived: Number(totals.archived),
      // As the add-on: the ten busiest models as a list, priorities as an object.
      by_model: (await grouped('model', 10)).map(({ key, count }) => ({ model: key, count })),
      by_priority: Object.fromEntries(
        (await grouped('priority', null)).map(({ key, count }) => [key, count]),
      ),
    };
  }
}
