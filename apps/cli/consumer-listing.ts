import { Admin } from 'kafkajs';
import { consumerLags } from '@odoo-stream/kafka';

export interface ConsumerView {
  /** The group without the prefix: `projector.feed`, `dispatcher.subscriber-3`. */
  name: string;
  group: string;
  /** Kafka's group state: Stable, Empty, PreparingRebalance, ... */
  state: string;
  members: number;
  lag: number;
  partitions: Array<{
    topic: string;
    partition: number;
    committed: string;
    end: string;
    lag: number;
  }>;
}

/** Every consumer group odoo-stream owns under the prefix, with its state and lag. */
export async function listConsumers(admin: Admin, prefix: string): Promise<ConsumerView[]> {
  const lags = await consumerLags(admin, prefix);
  if (lags.length === 0) return [];
  const { groups } = await admin.describeGroups(lags.map((l) => l.groupId));
  const described = new Map(groups.map((g) => [g.groupId, g]));
  return lags.map(({ groupId, partitions }) => ({
    name: groupId.slice(prefix.length + 1),
    group: groupId,
    state: described.get(groupId)?.state ?? 'Unknown',
    members: described.get(groupId)?.members.length ?? 0,
    lag: partitions.reduce((n, p) => n + p.lag, 0),
    partitions,
  }));
}

/** The listing for a person: one line per consumer, then its partitions. */
export function consumerTable(consumers: ConsumerView[]): string {
  if (consumers.length === 0) return 'no odoo-stream consumer groups under this prefix yet\n';
  const width = Math.max(...consumers.map((c) => c.name.length), 8);
  return consumers
    .map(
      (c) =>
        `${c.name.padEnd(width)}  ${c.state.padEnd(18)} ${String(c.members).padStart(2)} member(s)  lag ${c.lag}\n` +
        c.partitions
          .map(
            (p) =>
              `  ${p.topic}/${p.partition}  committed ${p.committed}  end ${p.end}  lag ${p.lag}\n`,
          )
          .join(''),
    )
    .join('');
}
