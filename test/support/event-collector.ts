import { randomBytes } from 'node:crypto';
import { Consumer, Kafka } from 'kafkajs';
import { ChangeEvent, internalTopic } from '@odoo-stream/events';
import { ConfluentDecoder, KafkaSchemaStore } from '@odoo-stream/schema-registry';
import { retryRetriable } from '@odoo-stream/kafka';
import { pollUntil } from './test-stack';

export interface CollectedMessage {
  topic: string;
  partition: number;
  offset: number;
  keySchemaId: number;
  key: { id: number };
  valueSchemaId: number | null;
  /** null for a tombstone. */
  event: ChangeEvent | null;
}

/** Looks a schema up by id, as a Confluent deserializer does. */
export type SchemaLookup = (id: number) => Promise<object>;

/**
 * Consumes topics from the beginning and decodes every message from the Confluent wire format,
 * the way a data team's consumer would, for the suites to assert on.
 */
export class EventCollector {
  readonly messages: CollectedMessage[] = [];
  /**
   * A consumer that joins while a new topic's partition has no leader yet skips that partition
   * until its next metadata refresh (minutes): wait until every partition has one.
   */
  private async waitForLeaders(topics: string[]): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await pollUntil(
        async () => {
          const { topics: described } = await retryRetriable(() =>
            admin.fetchTopicMetadata({ topics }),
          );
          const led = described.every((t) => t.partitions.every((p) => p.leader >= 0));
          return described.length === topics.length && led ? true : undefined;
        },
        `leaders for ${topics.join(', ')}`,
        30_000,
      );
    } finally {
      await admin.disconnect();
    }
  }

  /** Messages that did not decode: a test failing on a timeout says why. */
  readonly failures: string[] = [];
  private consumer?: Consumer;
  private readonly decoder: ConfluentDecoder;

  constructor(
    private readonly kafka: Kafka,
    lookup: SchemaLookup,
  ) {
    this.decoder = new ConfluentDecoder({ schemaById: lookup });
  }

  async start(topics: string[] | RegExp): Promise<void> {
    if (Array.isArray(topics)) await this.waitForLeaders(topics);
    this.consumer = this.kafka.consumer({
      groupId: `test-collector-${randomBytes(4).toString('hex')}`,
      maxWaitTimeInMs: 200,
    });
    await this.consumer.connect();
    // Topics a moment old may not be known to the whole broker yet.
    await retryRetriable(() =>
      (this.consumer as Consumer).subscribe({
        topics: Array.isArray(topics) ? topics : [topics],
        fromBeginning: true,
      }),
    );
    await this.consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        try {
          const key = await this.decoder.decode<{ id: number }>(message.key as Buffer);
          const value = message.value
            ? await this.decoder.decode<ChangeEvent>(message.value)
            : null;
          this.messages.push({
            topic,
            partition,
            offset: Number(message.offset),
            keySchemaId: key.schemaId,
            key: key.value,
            valueSchemaId: value?.schemaId ?? null,
            event: value?.value ?? null,
          });
        } catch (error) {
          this.failures.push(
            `${topic}/${partition}@${message.offset}: ${(error as Error).message}`,
          );
        }
      },
    });
  }

  events(): ChangeEvent[] {
    return this.messages.flatMap((m) => (m.event ? [m.event] : []));
  }

  async waitFor(condition: () => boolean, timeoutMs = 60_000, what = 'events'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline)
        throw new Error(
          `timed out waiting for ${what}; have ${this.messages.length} messages` +
            (this.failures.length ? `; undecodable: ${this.failures.slice(0, 3).join('; ')}` : ''),
        );
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}

/**
 * Schemas as a deserializer finds them in odoo-stream's own registry topic for `prefix`: read from
 * the topic, read again when an id is not known yet.
 */
export function ownRegistryLookup(store: KafkaSchemaStore): SchemaLookup {
  return (id) => store.schemaById(id);
}

export function schemaStoreFor(kafka: Kafka, prefix: string): KafkaSchemaStore {
  return new KafkaSchemaStore(kafka, internalTopic(prefix, 'schemas'));
}
