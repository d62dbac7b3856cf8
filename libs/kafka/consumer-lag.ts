import { Admin } from 'kafkajs';

export interface PartitionLag {
  topic: string;
  partition: number;
  /** The group's committed offset (the log start when it has none). */
  committed: string;
  /** The log end offset. */
  end: string;
  lag: number;
  /** When odoo-stream committed it (null: committed by another tool, or never). */
  committedAt: string | null;
}

export interface GroupLag {
  groupId: string;
  partitions: PartitionLag[];
}

/** odoo-stream's consumer groups of this prefix: projections and webhook subscribers. */
export function isOwnGroup(prefix: string, groupId: string): boolean {
  return groupId.startsWith(`${prefix}.projector.`) || groupId.startsWith(`${prefix}.dispatcher.`);
}

/**
 * Lag as Kafka's own tools compute it (log end offset minus the group's committed offset), for
 * every odoo-stream group of the prefix.
 */
export async function consumerLags(admin: Admin, prefix: string): Promise<GroupLag[]> {
  const { groups } = await admin.listGroups();
  const ours = groups.map((g) => g.groupId).filter((id) => isOwnGroup(prefix, id));
  const ends = new Map<string, Map<number, { high: bigint; low: bigint }>>();
  const lags: GroupLag[] = [];
  for (const groupId of ours.sort()) {
    const partitions: PartitionLag[] = [];
    for (const { topic, partitions: committed } of await admin.fetchOffsets({ groupId })) {
      if (!ends.has(topic)) {
        const offsets = await admin.fetchTopicOffsets(topic);
        ends.set(
          topic,
          new Map(offsets.map((o) => [o.partition, { high: BigInt(o.high), low: BigInt(o.low) }])),
        );
      }
      for (const { partition, offset, metadata } of committed) {
        const end = ends.get(topic)?.get(partition);
        if (!end) continue;
        const at = BigInt(offset) < 0n ? end.low : BigInt(offset);
        partitions.push({
          topic,
          partition,
          committed: at.toString(),
          end: end.high.toString(),
          lag: Number(end.high - at),
          committedAt: metadata && !Number.isNaN(Date.parse(metadata)) ? metadata : null,
        });
      }
    }
    lags.push({ groupId, partitions });
  }
  return lags;
}
