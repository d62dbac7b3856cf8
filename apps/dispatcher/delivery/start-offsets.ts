import { Kafka } from 'kafkajs';

export interface StartPoint {
  groupId: string;
  topics: string[];
  /** Where a partition without a committed offset starts: the subscriber's creation. */
  startAtMs: number;
  /** After a change of subscriptions: read again from the change (when before the offset). */
  rewindToMs?: number;
}

/**
 * A subscriber gets the changes committed since it was created: a partition its group has no
 * offset for starts at that time (the broker's own "latest" would lose what came between).
 * Returned as seeks for the consumer (setting group offsets from outside costs a group join).
 */
export async function startOffsets(
  kafka: Kafka,
  { groupId, topics, startAtMs, rewindToMs }: StartPoint,
): Promise<Array<{ topic: string; partition: number; offset: string }>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const committed = new Map<string, bigint>();
    for (const { topic, partitions } of await admin.fetchOffsets({ groupId, topics })) {
      for (const p of partitions) {
        if (p.offset !== '-1') committed.set(`${topic}/${p.partition}`, BigInt(p.offset));
      }
    }
    const seeks = [];
    for (const topic of topics) {
      const all = await admin.fetchTopicOffsets(topic);
      const complete = all.every((p) => committed.has(`${topic}/${p.partition}`));
      if (complete && rewindToMs === undefined) continue;
      const fromCreation = await admin.fetchTopicOffsetsByTimestamp(topic, startAtMs);
      const fromChange =
        rewindToMs === undefined ? [] : await admin.fetchTopicOffsetsByTimestamp(topic, rewindToMs);
      for (const p of fromCreation) {
        const at = committed.get(`${topic}/${p.partition}`);
        const change = fromChange.find((c) => c.partition === p.partition);
        if (at === undefined) seeks.push({ topic, ...p });
        else if (change && BigInt(change.offset) < at) seeks.push({ topic, ...change });
      }
    }
    return seeks;
  } finally {
    await admin.disconnect();
  }
}
