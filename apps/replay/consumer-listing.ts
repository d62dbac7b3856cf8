import { Admin } from 'kafkajs';
import { ControlState } from '@odoo-stream/events';
import { consumerLags, PartitionLag } from '@odoo-stream/kafka';

export interface ConsumerView {
  /**
   * `projector.feed`, ...; a subscriber's group as `dispatcher.<subscriber name>` (its group is
   * `dispatcher.subscriber-<id>`, which every command takes too).
   */
  name: string;
  /** Subscribers only. */
  subscriber?: { id: number; name: string };
  group: string;
  /**
   * odoo-stream's word: running (members in the group), stopped (none), paused (by a replay or
   * rebuild in progress), rebuilding (a copy is being filled; see `rebuild`).
   */
  state: 'running' | 'stopped' | 'paused' | 'rebuilding';
  /** Kafka's group state: Stable, Empty, PreparingRebalance, ... */
  kafka_state: string;
  members: number;
  lag: number;
  /** The latest commit odoo-stream made for the group (null: none, or another tool's). */
  last_commit_at: string | null;
  partitions: PartitionLag[];
  /** Only while rebuilding: the copy's progress (events applied of those in the topics). */
  rebuild?: { id: string; done: number; total: number; lag: number };
}

/** Every consumer group odoo-stream owns under the prefix, with its state and lag. */
export async function listConsumers(
  admin: Admin,
  prefix: string,
  control: ControlState,
  /** Subscriber names by id (from the service database, when there is one). */
  subscribers: ReadonlyMap<number, string> = new Map(),
): Promise<ConsumerView[]> {
  const lags = await consumerLags(admin, prefix);
  if (lags.length === 0) return [];
  // The copies (`<group>.rebuild`) too: a rebuild whose command died has a copy with no member.
  const { groups } = await admin.describeGroups(lags.map((l) => l.groupId));
  const described = new Map(groups.map((g) => [g.groupId, g]));
  const copies = new Map(
    lags.filter((l) => l.groupId.endsWith('.rebuild')).map((l) => [l.groupId, l]),
  );
  return lags
    .filter(({ groupId }) => !copies.has(groupId))
    .map(({ groupId, partitions }) => {
      const members = described.get(groupId)?.members.length ?? 0;
      const copy = copies.get(`${groupId}.rebuild`);
      const filling = (described.get(`${groupId}.rebuild`)?.members.length ?? 0) > 0;
      const rebuilding = filling ? control.rebuildOf(groupId) : undefined;
      const commits = partitions.flatMap((p) => (p.committedAt ? [p.committedAt] : [])).sort();
      const bare = groupId.slice(prefix.length + 1);
      const id = /^dispatcher\.subscriber-(\d+)$/.exec(bare)?.[1];
      const subscriber =
        id && subscribers.has(Number(id)) ? subscribers.get(Number(id)) : undefined;
      const unique =
        subscriber && [...subscribers.values()].filter((n) => n === subscriber).length === 1;
      return {
        name: subscriber && unique ? `dispatcher.${subscriber}` : bare,
        ...(subscriber && { subscriber: { id: Number(id), name: subscriber } }),
        group: groupId,
        state: rebuilding
          ? 'rebuilding'
          : control.pauseOf(groupId)
            ? 'paused'
            : members > 0
              ? 'running'
              : 'stopped',
        kafka_state: described.get(groupId)?.state ?? 'Unknown',
        members,
        lag: partitions.reduce((n, p) => n + p.lag, 0),
        last_commit_at: commits.at(-1) ?? null,
        partitions,
        ...(rebuilding && {
          rebuild: {
            id: rebuilding.id,
            done: copy ? copy.partitions.reduce((n, p) => n + Number(p.committed), 0) : 0,
            total: copy ? copy.partitions.reduce((n, p) => n + Number(p.end), 0) : 0,
            lag: copy ? copy.partitions.reduce((n, p) => n + p.lag, 0) : 0,
          },
        }),
      } satisfies ConsumerView;
    });
}

/** The listing for a person: one line per consumer, then its partitions. */
export function consumerTable(consumers: ConsumerView[]): string {
  if (consumers.length === 0) return 'no odoo-stream consumer groups under this prefix yet\n';
  const width = Math.max(...consumers.map((c) => c.name.length), 8);
  return consumers
    .map(
      (c) =>
        `${c.name.padEnd(width)}  ${c.state.padEnd(10)} ${String(c.members).padStart(2)} member(s)  lag ${c.lag}` +
        `  last commit ${c.last_commit_at ?? '-'}` +
        (c.rebuild ? `  rebuild ${c.rebuild.done}/${c.rebuild.total}` : '') +
        '\n' +
        c.partitions
          .map(
            (p) =>
              `  ${p.topic}/${p.partition}  committed ${p.committed}  end ${p.end}  lag ${p.lag}\n`,
          )
          .join(''),
    )
    .join('');
}
