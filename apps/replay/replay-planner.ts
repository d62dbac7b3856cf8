import { Admin } from 'kafkajs';
import { modelTopicsOf } from '@odoo-stream/events';
import { ConsumerEntry } from './consumer-catalog';
import { newOffset, PlannedPartition, ReplayRefused, ReplayTarget } from './replay-target';
import { earliestTimestamps } from './earliest-events';
import { Kafka } from 'kafkajs';

export interface ReplayScope {
  /** Only this topic (one the consumer reads). */
  topic?: string;
  /** Only this model's topic (`sale.order`; with --db when the prefix holds several). */
  model?: string;
}

export interface ReplayPlan {
  consumer: ConsumerEntry;
  target: ReplayTarget;
  partitions: PlannedPartition[];
}

/** The topics a replay moves: the consumer's, or the one --topic/--model names (checked). */
export function scopedTopics(
  consumer: ConsumerEntry,
  prefix: string,
  scope: ReplayScope,
): string[] {
  if (scope.topic !== undefined) {
    if (!consumer.topics.includes(scope.topic)) {
      throw new ReplayRefused(
        `${consumer.name} does not read ${scope.topic} (it reads ${consumer.topics.join(', ') || 'nothing yet'})`,
      );
    }
    return [scope.topic];
  }
  if (scope.model !== undefined) {
    const matches = modelTopicsOf(prefix, scope.model, undefined, consumer.topics);
    if (matches.length === 0) {
      throw new ReplayRefused(`${consumer.name} does not read a topic of model ${scope.model}`);
    }
    return matches;
  }
  if (consumer.topics.length === 0) throw new ReplayRefused(`${consumer.name} reads no topic yet`);
  return consumer.topics;
}

/** Reads offsets from Kafka and computes the new ones; changes nothing. */
export async function planReplay(
  kafka: Kafka,
  admin: Admin,
  consumer: ConsumerEntry,
  topics: string[],
  target: ReplayTarget,
  now = Date.now(),
): Promise<ReplayPlan> {
  if (target.kind === 'offset' && !topics.includes(target.topic)) {
    throw new ReplayRefused(`${consumer.name} does not read ${target.topic}`);
  }
  const committed = new Map<string, bigint>();
  for (const { topic, partitions } of await admin.fetchOffsets({
    groupId: consumer.group,
    topics,
  })) {
    for (const p of partitions) {
      if (BigInt(p.offset) >= 0n) committed.set(`${topic}/${p.partition}`, BigInt(p.offset));
    }
  }
  const timeMs =
    target.kind === 'datetime' ? target.ms : target.kind === 'duration' ? now - target.ms : null;
  if (timeMs !== null) await refuseBeforeRetention(kafka, admin, topics, timeMs);
  const partitions: PlannedPartition[] = [];
  for (const topic of topics) {
    const ends = await admin.fetchTopicOffsets(topic);
    const byTime = timeMs === null ? [] : await admin.fetchTopicOffsetsByTimestamp(topic, timeMs);
    for (const end of ends) {
      const at = byTime.find((b) => b.partition === end.partition)?.offset;
      const state = {
        topic,
        partition: end.partition,
        committed: committed.get(`${topic}/${end.partition}`) ?? null,
        low: BigInt(end.low),
        high: BigInt(end.high),
        atTime: at === undefined || BigInt(at) < 0n ? null : BigInt(at),
      };
      const next = newOffset(target, state);
      if (next === null) continue;
      partitions.push({
        topic,
        partition: end.partition,
        current: state.committed,
        next,
        end: state.high,
      });
    }
  }
  if (target.kind === 'offset' && partitions.length === 0) {
    throw new ReplayRefused(`${target.topic} has no partition ${target.partition}`);
  }
  return { consumer, target, partitions };
}

/** A time before everything the topics still hold cannot be replayed from: say what is there. */
async function refuseBeforeRetention(
  kafka: Kafka,
  admin: Admin,
  topics: string[],
  timeMs: number,
): Promise<void> {
  const earliest = await earliestTimestamps(kafka, admin, topics);
  if (earliest === null) return;
  if (timeMs < earliest) {
    throw new ReplayRefused(
      `${new Date(timeMs).toISOString()} is before the earliest retained event (${new Date(earliest).toISOString()}); use --to-earliest to read everything that is kept`,
    );
  }
}
