import { randomUUID } from 'node:crypto';
import { Kafka } from 'kafkajs';
import { ModelEventDecoder, SchemaRegistry } from '@odoo-stream/schema-registry';
import { EventFilter, keeps } from './event-filter';

export interface ReadOptions {
  filter: EventFilter;
  limit?: number;
  /** Go on after the end, printing new events as they come, until `stop` resolves. */
  follow: boolean;
  stop: Promise<void>;
}

/**
 * Reads a model topic from the start (or from `--since`, by Kafka's time index) and writes each
 * kept event as one JSON line, decoded through the registry. Commits nothing: the throwaway group
 * only lets kafkajs assign the partitions.
 */
export async function readEvents(
  kafka: Kafka,
  registry: SchemaRegistry,
  topic: string,
  options: ReadOptions,
  write: (line: string) => void,
): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  let ends: Map<number, bigint>;
  let starts: Map<number, string>;
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    ends = new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
    starts = new Map(offsets.map((o) => [o.partition, o.low]));
    if (options.filter.sinceMs !== undefined) {
      for (const o of await admin.fetchTopicOffsetsByTimestamp(topic, options.filter.sinceMs)) {
        starts.set(o.partition, o.offset);
      }
    }
  } finally {
    await admin.disconnect();
  }
  const decoder = new ModelEventDecoder(registry);
  const pending = new Set(
    [...ends].filter(([p, end]) => BigInt(starts.get(p) ?? '0') < end).map(([p]) => p),
  );
  if (!options.follow && pending.size === 0) return 0;

  const groupId = `odoo-stream-cli-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId });
  let printed = 0;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  void options.stop.then(() => finish());
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic] });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        if (options.limit !== undefined && printed >= options.limit) return;
        if (message.value) {
          const { event, toJson } = await decoder.decode(message.value);
          if (keeps(options.filter, event)) {
            write(
              JSON.stringify({
                topic,
                partition,
                offset: message.offset,
                op: event.op,
                model: event.model,
                record_id: event.record_id,
                at: new Date(event.ts_ms).toISOString(),
                user_id: event.uid ?? null,
                changed_fields: event.changed_fields,
                before: event.before ? toJson(event.before) : null,
                after: event.after ? toJson(event.after) : null,
              }),
            );
            printed++;
          }
        }
        if (options.limit !== undefined && printed >= options.limit) finish();
        if (!options.follow && BigInt(message.offset) + 1n >= (ends.get(partition) ?? 0n)) {
          pending.delete(partition);
          if (pending.size === 0) finish();
        }
      },
    });
    for (const [partition, offset] of starts) consumer.seek({ topic, partition, offset });
    await finished;
  } finally {
    await consumer.disconnect();
    // The throwaway group holds no offsets; remove it so that it does not linger in listings.
    const cleanup = kafka.admin();
    await cleanup.connect();
    await cleanup.deleteGroups([groupId]).catch(() => undefined);
    await cleanup.disconnect();
  }
  return printed;
}
