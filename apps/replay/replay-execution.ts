import { randomUUID } from 'node:crypto';
import { Admin, Kafka } from 'kafkajs';
import { ControlAuthor, PartitionOffsets, ReplayRecord } from '@odoo-stream/events';
import { commitGroupOffsets, ControlChannel } from '@odoo-stream/kafka';
import { ConsumerPause } from './consumer-pause';
import { ReplayPlan } from './replay-planner';
import { describeTarget, newOffset, ReplayRefused } from './replay-target';

export interface ReplayOptions {
  /** Subscribers only: re-sent deliveries get new webhook-ids. */
  newDeliveryIds: boolean;
  /** How long the instances have to leave the group when asked to pause (default 20 s). */
  pauseTimeoutMs?: number;
}

/**
 * Carries out a plan while the consumer runs: pause (its instances leave the group), set the
 * offsets (a shift is computed again from the offsets as they are once
 * paused), record the replay on the control topic, resume. Returns the record.
 */
export async function executeReplay(
  { control, admin, kafka }: { control: ControlChannel; admin: Admin; kafka: Kafka },
  plan: ReplayPlan,
  author: ControlAuthor,
  options: ReplayOptions,
): Promise<ReplayRecord> {
  if (options.newDeliveryIds && !plan.consumer.subscriber) {
    throw new ReplayRefused('--new-delivery-ids is for webhook subscribers (dispatcher.<name>)');
  }
  const { group } = plan.consumer;
  const pause = await ConsumerPause.take(control, admin, group, author.by, options.pauseTimeoutMs);
  try {
    const topics = [...new Set(plan.partitions.map((p) => p.topic))];
    const committed = new Map<string, bigint>();
    for (const { topic, partitions } of await admin.fetchOffsets({ groupId: group, topics })) {
      for (const p of partitions) {
        if (BigInt(p.offset) >= 0n) committed.set(`${topic}/${p.partition}`, BigInt(p.offset));
      }
    }
    const offsets: PartitionOffsets[] = [];
    for (const p of plan.partitions) {
      const current = committed.get(`${p.topic}/${p.partition}`) ?? null;
      const ends = await admin.fetchTopicOffsets(p.topic);
      const end = ends.find((e) => e.partition === p.partition);
      const low = BigInt(end?.low ?? '0');
      const high = BigInt(end?.high ?? '0');
      const next =
        plan.target.kind === 'shift'
          ? (newOffset(plan.target, { ...p, committed: current, low, high }) as bigint)
          : p.next;
      offsets.push({
        topic: p.topic,
        partition: p.partition,
        before: current === null ? null : current.toString(),
        after: next.toString(),
        end: high.toString(),
      });
    }
    await commitGroupOffsets(
      kafka,
      group,
      offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.after })),
    );
    const record: ReplayRecord = {
      type: 'replay',
      id: randomUUID(),
      consumer: plan.consumer.name,
      group,
      target: describeTarget(plan.target),
      offsets,
      new_delivery_ids: options.newDeliveryIds,
      ...author,
    };
    // Before the resume: a subscriber's worker knows the replay's window when it starts again.
    await control.send(record);
    return record;
  } finally {
    await pause.release();
  }
}
