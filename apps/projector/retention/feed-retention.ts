import { DataSource } from 'typeorm';
import { FeedConfig } from '@odoo-stream/config';

export interface RetentionResult {
  archived: number;
  deleted: number;
  purgedThroughId: number;
}

/**
 * The add-on's clean-up, kept: processed rows older than `archiveAfterDays` are archived (the
 * pull feed stops showing them), archived rows older than `deleteAfterDays` are deleted. The
 * highest deleted id is remembered: a device whose checkpoint is below it may have missed rows
 * and is told to resync instead of getting a silent gap.
 */
export class FeedRetention {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: Pick<FeedConfig, 'archiveAfterDays' | 'deleteAfterDays'>,
  ) {}

  async run(now = new Date()): Promise<RetentionResult> {
    return this.dataSource.transaction(async (tx) => {
      const day = 86_400_000;
      const archiveBefore = new Date(now.getTime() - this.config.archiveAfterDays * day);
      const deleteBefore = new Date(now.getTime() - this.config.deleteAfterDays * day);
      const [, archived]: [unknown, number] = await tx.query(
        `UPDATE update_webhook SET is_archived = true, archived_at = $1
         WHERE is_processed AND NOT is_archived AND "timestamp" < $2`,
        [now, archiveBefore],
      );
      const [deleted]: [Array<{ id: string; event_id: string }>, number] = await tx.query(
        `DELETE FROM update_webhook WHERE is_archived AND "timestamp" < $1 RETURNING id, event_id`,
        [deleteBefore],
      );
      if (deleted.length > 0) {
        await tx.query(`DELETE FROM feed_processed WHERE event_id = ANY($1::varchar[])`, [
          deleted.map((d) => d.event_id),
        ]);
      }
      const maxDeleted = deleted.reduce((max, d) => Math.max(max, Number(d.id)), 0);
      const [state]: Array<{ purged_through_id: string }> = await tx
        .query(
          `UPDATE feed_retention SET purged_through_id = GREATEST(purged_through_id, $1),
           archived_total = archived_total + $2, deleted_total = deleted_total + $3,
           last_run_at = $4
         WHERE id = 1 RETURNING purged_through_id`,
          [maxDeleted, archived, deleted.length, now],
        )
        .then((r: [Array<{ purged_through_id: string }>, number]) => r[0]);
      return {
        archived,
        deleted: deleted.length,
        purgedThroughId: Number(state.purged_through_id),
      };
    });
  }
}
