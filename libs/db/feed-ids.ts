import { DataSource } from 'typeorm';

/** The highest feed id handed out so far (0 when none). */
export async function highestFeedId(db: DataSource): Promise<number> {
  const [row] = await db.query(
    `SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END AS highest FROM feed_id_seq`,
  );
  return Number(row.highest);
}

/**
 * Makes the next feed id at least `after + 1` (never lowers it): a client migrating from the
 * add-on keeps its stored cursor and misses nothing. Returns the highest id handed out now.
 */
export async function raiseFeedIds(db: DataSource, after: number): Promise<number> {
  const highest = await highestFeedId(db);
  if (after <= highest) return highest;
  await db.query(`SELECT setval('feed_id_seq', $1::bigint)`, [after]);
  return after;
}
