import { DataSource } from 'typeorm';

/** Rows one statement deletes: the index's clean-up never holds a long transaction. */
const BATCH = 10_000;

/**
 * The dashboard's event index keeps `days` days of events (0: all of them); the change rate, which
 * the overview reads for its last hour, a day.
 */
export class EventIndexRetention {
  constructor(
    private readonly dataSource: DataSource,
    private readonly days: number,
  ) {}

  async run(now = new Date()): Promise<number> {
    await this.dataSource.query(`DELETE FROM change_rate WHERE minute < $1`, [
      new Date(now.getTime() - 86_400_000),
    ]);
    if (this.days === 0) return 0;
    const before = new Date(now.getTime() - this.days * 86_400_000);
    let deleted = 0;
    for (;;) {
      const [, count]: [unknown, number] = await this.dataSource.query(
        `DELETE FROM change_event WHERE event_id IN (
           SELECT event_id FROM change_event WHERE "timestamp" < $1 LIMIT ${BATCH})`,
        [before],
      );
      deleted += count;
      if (count < BATCH) return deleted;
    }
  }
}
