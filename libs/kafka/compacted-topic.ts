import { randomBytes } from 'node:crypto';
import { Kafka, Producer } from 'kafkajs';
import { createOrderedProducer } from './kafka-client';
import { ensureTopics } from './topic-admin';
import { retryRetriable } from './retry';

/**
 * Reads a (compacted) topic from the beginning up to its end at the time of the call and returns
 * the latest value of every key, in offset order. For the small state topics odoo-stream keeps
 * (schemas, capture state). The reader's consumer group commits nothing and is left empty.
 */
export async function readCompactedTopic(
  kafka: Kafka,
  topic: string,
): Promise<Map<string, Buffer | null>> {
  const ends = await endOffsets(kafka, topic);
  if (!ends) return new Map();
  const remaining = new Map(
    ends.filter((p) => Number(p.high) > Number(p.low)).map((p) => [p.partition, Number(p.high)]),
  );
  const latest = new Map<string, Buffer | null>();
  if (remaining.size === 0) return latest;

  const consumer = kafka.consumer({ groupId: `${topic}.reader.${randomBytes(6).toString('hex')}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            if (message.key) latest.set(message.key.toString(), message.value);
            if (Number(message.offset) + 1 >= (remaining.get(partition) ?? 0))
              remaining.delete(partition);
            if (remaining.size === 0) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return latest;
}

/** A topic created a moment ago may not be known to every broker yet: ask again for a while. */
async function endOffsets(kafka: Kafka, topic: string) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    // A topic nobody created yet holds nothing.
    if (!(await admin.listTopics()).includes(topic)) return undefined;
    return await retryRetriable(() => admin.fetchTopicOffsets(topic));
  } finally {
    await admin.disconnect();
  }
}

/**
 * A small state topic of odoo-stream's own (schemas, capture state): single partition, compacted,
 * read whole, appended to with acks=all through one ordered producer, connected on first use.
 */
export class CompactedTopic {
  private producer?: Promise<Producer>;
  private closed = false;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly kafka: Kafka,
    readonly name: string,
  ) {}

  /** The latest value of every key (see readCompactedTopic); empty while the topic does not exist. */
  read(): Promise<Map<string, Buffer | null>> {
    return readCompactedTopic(this.kafka, this.name);
  }

  /** Creates the topic when missing and connects the producer, once however many callers ask. */
  connect(): Promise<Producer> {
    // A write after close (a stopping capture saving its state) must not open new connections
    // that nothing closes: it fails, and the state is saved by the next run instead.
    if (this.closed) return Promise.reject(new Error(`${this.name}: closed, not written`));
    this.producer ??= (async () => {
      await ensureTopics(this.kafka, [
        { topic: this.name, partitions: 1, config: { 'cleanup.policy': 'compact' } },
      ]);
      const producer = createOrderedProducer(this.kafka);
      await producer.connect();
      return producer;
    })();
    this.producer.catch(() => (this.producer = undefined));
    return this.producer;
  }

  /**
   * Appends one record. A send that fails or gets no answer within `timeoutMs` (a producer left
   * waiting across a broker restart) is an error, and the next append uses a new producer.
   */
  async append(key: string, value: string, timeoutMs = 30_000): Promise<void> {
    const connecting = this.connect();
    // close() waits for this append from its start: one still connecting when close() ran would
    // otherwise send on the closed producer, and kafkajs would open new connections for it.
    let finished!: () => void;
    const appending = new Promise<void>((resolve) => (finished = resolve));
    this.inFlight.add(appending);
    let timer: NodeJS.Timeout | undefined;
    try {
      const producer = await connecting;
      if (this.closed) throw new Error(`${this.name}: closed, not written`);
      const sending = producer.send({ topic: this.name, acks: -1, messages: [{ key, value }] });
      // A send that outlives the timeout below still holds the producer's connections.
      this.inFlight.add(sending);
      void sending.catch(() => undefined).finally(() => this.inFlight.delete(sending));
      await Promise.race([
        sending,
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer from Kafka for ${this.name} within ${timeoutMs} ms`)),
            timeoutMs,
          );
        }),
      ]);
    } catch (error) {
      if (this.producer === connecting) this.producer = undefined;
      void connecting.then((p) => p.disconnect()).catch(() => undefined);
      throw error;
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(appending);
      finished();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    // A send cut off by the disconnect would retry on new connections nothing closes.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      new Promise((resolve) => (timer = setTimeout(resolve, 5_000))),
    ]);
    clearTimeout(timer);
    const producer = await this.producer?.catch(() => undefined);
    this.producer = undefined;
    await producer?.disconnect();
  }
}
