/**
 * The control topic (`<prefix>.stream.control`): commands to running consumers (pause, resume)
 * with their answers, and the record of every replay and rebuild. JSON, keyed by consumer group.
 */

export interface PartitionOffsets {
  topic: string;
  partition: number;
  /** The group's committed offset before (null: it had none). */
  before: string | null;
  /** The offset it was moved to. */
  after: string;
  /** The log end when it was moved: a subscriber re-sends [after, end) as a replay. */
  end: string;
}

/** Who asked, when and why: kept with every replay and rebuild. */
export interface ControlAuthor {
  /** The admin key's name (API) or the operating-system user (command line). */
  by: string;
  at: string;
  reason: string | null;
}

export interface ReplayRecord extends ControlAuthor {
  type: 'replay';
  id: string;
  /** The consumer's name: `projector.feed`, `dispatcher.subscriber-3`. */
  consumer: string;
  group: string;
  /** How the new offsets were chosen: `to-datetime 2026-12-01T09:40:00Z`. */
  target: string;
  offsets: PartitionOffsets[];
  /** Subscribers only: the re-sent deliveries get new webhook-ids. */
  new_delivery_ids: boolean;
}

export interface RebuildRecord extends ControlAuthor {
  type: 'rebuild';
  id: string;
  consumer: string;
  group: string;
  status: 'started' | 'swapped' | 'failed';
  /** swapped: the live group's offsets before and the rebuilt copy's after. */
  offsets: PartitionOffsets[];
  events: number;
  detail: string | null;
}

export type ControlMessage =
  | { type: 'pause'; id: string; group: string; until: string; by: string; at: string }
  | { type: 'paused'; id: string; group: string; instance: string; at: string }
  | { type: 'resume'; id: string; group: string; at: string }
  | ReplayRecord
  | RebuildRecord;

export class MalformedControlMessage extends Error {
  override name = 'MalformedControlMessage';
}

const TYPES = new Set(['pause', 'paused', 'resume', 'replay', 'rebuild']);

export function parseControlMessage(value: Buffer | null): ControlMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value?.toString('utf8') ?? '');
  } catch {
    throw new MalformedControlMessage('not JSON');
  }
  const message = parsed as Partial<ControlMessage>;
  if (
    typeof message !== 'object' ||
    message === null ||
    !TYPES.has(message.type as string) ||
    typeof message.id !== 'string' ||
    typeof message.group !== 'string'
  ) {
    throw new MalformedControlMessage('type, id and group are required');
  }
  return message as ControlMessage;
}

/** The window a replay re-sends on one partition, for the subscriber's worker. */
export interface ReplayWindow {
  replayId: string;
  newDeliveryIds: boolean;
  /** `topic/partition` -> [from, end) */
  ranges: Map<string, { from: bigint; end: bigint }>;
}

/**
 * What the control topic says now, folded message by message (no I/O): the pauses in effect,
 * the last replay of each group, running rebuilds, and the history of replays and rebuilds.
 */
export class ControlState {
  private readonly pauses = new Map<string, { id: string; until: number }>();
  private readonly windows = new Map<string, ReplayWindow>();
  private readonly rebuilds = new Map<string, RebuildRecord>();
  readonly history: Array<ReplayRecord | RebuildRecord> = [];
  /** A reader that starts over (a consumer restarted after a broker failure) adds nothing twice. */
  private readonly recorded = new Set<string>();

  apply(message: ControlMessage): void {
    if (message.type === 'replay' || message.type === 'rebuild') {
      const key = `${message.type}/${message.id}/${message.type === 'rebuild' ? message.status : ''}`;
      if (this.recorded.has(key)) return;
      this.recorded.add(key);
    }
    switch (message.type) {
      case 'pause':
        this.pauses.set(message.group, { id: message.id, until: Date.parse(message.until) });
        break;
      case 'resume':
        if (this.pauses.get(message.group)?.id === message.id) this.pauses.delete(message.group);
        break;
      case 'replay':
        this.history.push(message);
        this.windows.set(message.group, replayWindow(message));
        break;
      case 'rebuild':
        this.history.push(message);
        if (message.status === 'started') this.rebuilds.set(message.group, message);
        else this.rebuilds.delete(message.group);
        break;
      case 'paused':
        break;
    }
  }

  /** The pause in effect for the group (none once resumed or past its deadline). */
  pauseOf(group: string, now = Date.now()): { id: string; until: number } | undefined {
    const pause = this.pauses.get(group);
    return pause && pause.until > now ? pause : undefined;
  }

  /** Every group with a pause in effect. */
  pausedGroups(now = Date.now()): string[] {
    return [...this.pauses.keys()].filter((group) => this.pauseOf(group, now));
  }

  replayWindowOf(group: string): ReplayWindow | undefined {
    return this.windows.get(group);
  }

  rebuildOf(group: string): RebuildRecord | undefined {
    return this.rebuilds.get(group);
  }
}

function replayWindow(record: ReplayRecord): ReplayWindow {
  return {
    replayId: record.id,
    newDeliveryIds: record.new_delivery_ids,
    ranges: new Map(
      record.offsets.map((o) => [
        `${o.topic}/${o.partition}`,
        { from: BigInt(o.after), end: BigInt(o.end) },
      ]),
    ),
  };
}

/** Is this message re-sent by the group's last replay? */
export function isReplayed(
  window: ReplayWindow | undefined,
  topic: string,
  partition: number,
  offset: string,
): boolean {
  const range = window?.ranges.get(`${topic}/${partition}`);
  if (!range) return false;
  const at = BigInt(offset);
  return at >= range.from && at < range.end;
}
