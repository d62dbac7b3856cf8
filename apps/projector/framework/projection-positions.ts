import { EntityManager } from 'typeorm';

/**
 * How far each projection has applied each partition, kept in the projection's own database and
 * written in the same transaction as its rows. Kafka's committed offset can be behind it (a crash
 * between the two commits); the messages in between are then recognised and skipped.
 */
export class ProjectionPositions {
  /** The next offset to apply; locks the position until the transaction ends. */
  async lock(tx: EntityManager, projection: string, topic: string, partition: number) {
    await tx.query(
      `INSERT INTO projection_position (projection, topic, partition, next_offset)
       VALUES ($1, $2, $3, 0) ON CONFLICT DO NOTHING`,
      [projection, topic, partition],
    );
    const rows: Array<{ next_offset: string }> = await tx.query(
      `SELECT next_offset FROM projection_position
       WHERE projection = $1 AND topic = $2 AND partition = $3 FOR UPDATE`,
      [projection, topic, partition],
    );
    return BigInt(rows[0].next_offset);
  }

  async save(
    tx: EntityManager,
    projection: string,
    topic: string,
    partition: number,
    nextOffset: bigint,
  ) {
    await tx.query(
      `UPDATE projection_position SET next_offset = $4
       WHERE projection = $1 AND topic = $2 AND partition = $3`,
      [projection, topic, partition, nextOffset.toString()],
    );
  }
}
