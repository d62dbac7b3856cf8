import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { consumerGroup } from '@odoo-stream/events';
import { PROJECTIONS } from '../projector/projection-catalog';
import { ReplayRequest } from './replay-request';

export interface PartitionMove {
  topic: string;
  partition: number;
  from: string | null;
  to: string;
}

export class ReplayRefused extends Error {
  override name = 'ReplayRefused';
}

/**
 * Replay as Kafka defines it: the group's committed offsets are moved (what
 * kafka-consumer-groups --reset-offsets does), and for a rebuild the projection's tables and
 * positions are emptied first, in one transaction.
 */
export async function replayProjection(
  kafka: Kafka,
  dataSource: DataSource,
  prefix: string,
  request: ReplayRequest,
): Promise<{ groupId: string; moves: PartitionMove[] }> {
  const groupId = consumerGroup(prefix, 'projector', request.projection);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [group] = (await admin.describeGroups([groupId])).groups;
    if (group && group.members.length > 0) {
      throw new ReplayRefused(
        `consumer group ${groupId} has ${group.members.length} active member(s): stop every projector first`,
      );
    }
    const topics = PROJECTIONS[request.projection].topics(prefix, await admin.listTopics());
    if (topics.length === 0)
      throw new ReplayRefused(`no topics to read for ${request.projection} yet`);
    const committed = new Map<string, string>();
    for (const { topic, partitions } of await admin.fetchOffsets({ groupId, topics })) {
      for (const p of partitions) committed.set(`${topic}/${p.partition}`, p.offset);
    }
    const moves: PartitionMove[] = [];
    for (const topic of topics) {
      const target = request.target;
      const offsets =
        target.kind === 'time'
          ? (await admin.fetchTopicOffsetsByTimestamp(topic, target.ms)).map((o) => ({
              partition: o.partition,
              offset: o.offset,
            }))
          : (await admin.fetchTopicOffsets(topic)).map((o) => ({
              partition: o.partition,
              offset: target.kind === 'earliest' ? o.low : o.high,
            }));
      for (const { partition, offset } of offsets) {
        const from = committed.get(`${topic}/${partition}`);
        moves.push({ topic, partition, from: from && from !== '-1' ? from : null, to: offset });
      }
    }
    if (request.dryRun) return { groupId, moves };
    if (request.rebuild) {
      await dataSource.transaction(async (tx) => {
        await tx.query(PROJECTIONS[request.projection].truncate);
        await tx.query(`DELETE FROM projection_position WHERE projection = $1`, [
          request.projection,
        ]);
      });
    }
    for (const topic of topics) {
      await admin.setOffsets({
        groupId,
        topic,
        partitions: moves
          .filter((m) => m.topic === topic)
          .map((m) => ({ partition: m.partition, offset: m.to })),
      });
    }
    return { groupId, moves };
  } finally {
    await admin.disconnect();
  }
}
