import { EntityManager } from 'typeorm';

/**
 * Records how far a projection has applied a partition, in the same transaction as its rows:
 * what the api waits on to answer after its own acknowledgement is applied.
 */
export async function savePosition(
  tx: EntityManager,
  projection: string,
  topic: string,
  partition: number,
  nextOffset: bigint,
): Promise<void> {
  await tx.query(
    `INSERT INTO projection_position (projection, topic, partition, next_offset)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (projection, topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset`,
    [projection, topic, partition, nextOffset.toString()],
  );
}
