import { Kafka, Message, Producer } from 'kafkajs';
import { Logger } from 'pino';
import { createOrderedProducer } from './kafka-client';
import {
  chunkByBytes,
  isSizeError,
  topicRecordBudget,
  recordBudget,
  recordBytes,
} from './message-size';
import { backoffMs } from './retry';

/** How long a record may wait for others to share its request. */
const LINGER_MS = 2;
const MAX_RECORDS_PER_REQUEST = 500;

interface Entry {
  topic: string;
  message: Message;
  /** A smaller form of the message, for when it is too large for the topic. */
  shrink?: () => Message;
  done: (error?: Error) => void;
}

export class WriterClosedError extends Error {
  override name = 'WriterClosedError';
}

/**
 * Appends records that must not be lost (delivery attempts, dead letters, alerts), gathering
 * those written within a few milliseconds into one request, and resolving each caller's promise
 * only once Kafka acknowledged its record.
 *
 * - A request never carries more bytes than the smallest `max.message.bytes` of its topics (asked
 *   of the broker); a record too large on its own is written in its smaller form.
 * - A failed write is never reported as done and never dropped: it is sent again, in order, with
 *   a new producer (an idempotent producer that lost its sequence after a broker restart stays
 *   broken), backing off, for as long as it takes. Only close() ends the waiting.
 */
export class DurableTopicWriter {
  private pending: Entry[] = [];
  private timer?: NodeJS.Timeout;
  private sending = Promise.resolve();
  private producer?: Producer;
  private budget = recordBudget(1_000_000);
  private closed = false;
  private failing = false;
  private wake?: () => void;

  constructor(
    private readonly kafka: Kafka,
    private readonly topics: string[],
    private readonly logger: Logger,
    /** Told when writes start failing (with the reason) and when they succeed again. */
    private readonly onRetrying: (reason: string | null) => void = () => undefined,
  ) {}

  /** Connects and reads the topics' size limit (the topics must exist). */
  async start(): Promise<void> {
    await this.readLimit();
    this.producer = createOrderedProducer(this.kafka);
    await this.producer.connect();
  }

  write(topic: string, message: Message, shrink?: () => Message): Promise<void> {
    if (this.closed) return Promise.reject(new WriterClosedError('the writer is closed'));
    return new Promise((resolve, reject) => {
      this.pending.push({ topic, message, shrink, done: (e) => (e ? reject(e) : resolve()) });
      if (this.pending.length >= MAX_RECORDS_PER_REQUEST) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), LINGER_MS);
    });
  }

  /** Writes what is already handed over (unless Kafka is away), then lets go of the producer. */
  async close(graceMs = 5000): Promise<void> {
    this.flush();
    const settled = this.sending.then(() => true);
    const inTime = await Promise.race([
      settled,
      new Promise<boolean>((r) => setTimeout(() => r(false), graceMs).unref()),
    ]);
    this.closed = true;
    this.wake?.();
    // A request still in flight fails once its producer is gone, and its callers are told.
    await this.producer?.disconnect().catch(() => undefined);
    if (!inTime) await this.sending;
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    this.sending = this.sending
      .then(async () => {
        for (const chunk of this.chunks(batch)) await this.sendUntilWritten(chunk);
      })
      .catch((error: Error) => {
        // Never expected; the chain must go on for the writes behind these.
        this.logger.error({ err: error }, 'attempt log writer failed');
        for (const entry of batch) entry.done(error);
      });
  }

  private chunks(entries: Entry[]): Entry[][] {
    for (const entry of entries) {
      if (entry.shrink && recordBytes(entry.message) > this.budget) this.useSmallerForm(entry);
    }
    return chunkByBytes(entries, (e) => recordBytes(e.message), this.budget);
  }

  private useSmallerForm(entry: Entry): void {
    const bytes = recordBytes(entry.message);
    entry.message = (entry.shrink as () => Message)();
    entry.shrink = undefined;
    this.logger.warn(
      { topic: entry.topic, bytes, limit: this.budget },
      `a record of ${bytes} bytes is over the topic's size limit: written in its smaller form`,
    );
  }

  private async sendUntilWritten(chunk: Entry[]): Promise<void> {
    for (let failures = 0; ; failures++) {
      if (this.closed) {
        for (const entry of chunk) entry.done(new WriterClosedError('the writer is closed'));
        return;
      }
      try {
        await this.send(chunk);
        if (this.failing) {
          this.logger.info('writes to Kafka succeed again');
          this.onRetrying(null);
        }
        this.failing = false;
        for (const entry of chunk) entry.done();
        return;
      } catch (error) {
        if (isSizeError(error)) return this.resend(chunk, error);
        this.failing = true;
        this.onRetrying(`writing to ${this.topics.join(', ')}: ${(error as Error).message}`);
        const delay = backoffMs(failures);
        this.logger.warn(
          { err: error, records: chunk.length, topics: this.topics, retryInMs: delay },
          `writing ${chunk.length} record(s) to Kafka failed; writing them again with a new producer in ${delay} ms`,
        );
        await new Promise<void>((r) => {
          const timer = setTimeout(r, delay);
          this.wake = () => (clearTimeout(timer), r());
        });
        if (!this.closed) await this.renewProducer();
      }
    }
  }

  /** The broker found the request too large: ask its limit again and send smaller requests. */
  private async resend(chunk: Entry[], error: unknown): Promise<void> {
    await this.readLimit().catch(() => undefined);
    if (chunk.length === 1) {
      const [entry] = chunk;
      if (!entry.shrink) {
        entry.done(error as Error);
        return;
      }
      this.useSmallerForm(entry);
      return this.sendUntilWritten(chunk);
    }
    const half = Math.ceil(chunk.length / 2);
    for (const part of [chunk.slice(0, half), chunk.slice(half)]) {
      for (const smaller of this.chunks(part)) await this.sendUntilWritten(smaller);
    }
  }

  private async send(chunk: Entry[]): Promise<void> {
    if (!this.producer) throw new Error('the producer is not connected');
    const byTopic = new Map<string, Message[]>();
    for (const { topic, message } of chunk) {
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), message]);
    }
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  }

  private async renewProducer(): Promise<void> {
    const old = this.producer;
    this.producer = undefined;
    await old?.disconnect().catch(() => undefined);
    const producer = createOrderedProducer(this.kafka);
    try {
      await producer.connect();
      this.producer = producer;
    } catch (error) {
      this.logger.warn({ err: error }, 'Kafka producer could not connect; trying again');
    }
  }

  private async readLimit(): Promise<void> {
    this.budget = await topicRecordBudget(this.kafka, this.topics);
  }
}
