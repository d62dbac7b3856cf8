import { Message, Producer } from 'kafkajs';

/** How long a record may wait for others to share its request. */
const LINGER_MS = 2;
const MAX_BATCH = 500;

/**
 * Writes attempt records (and dead letters) to Kafka, gathering those written in the same few
 * milliseconds into one request: with one request in flight (the ordered producer), awaiting each
 * record alone would cap every subscriber together at one record per round trip. Each caller
 * still waits until its own record is acknowledged.
 */
export class AttemptLog {
  private pending: Array<{ topic: string; message: Message; done: (error?: Error) => void }> = [];
  private timer?: NodeJS.Timeout;
  private sending = Promise.resolve();

  constructor(private readonly producer: Producer) {}

  write(topic: string, message: Message): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ topic, message, done: (e) => (e ? reject(e) : resolve()) });
      if (this.pending.length >= MAX_BATCH) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), LINGER_MS);
    });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    this.sending = this.sending.then(async () => {
      const byTopic = new Map<string, Message[]>();
      for (const { topic, message } of batch) {
        byTopic.set(topic, [...(byTopic.get(topic) ?? []), message]);
      }
      try {
        await this.producer.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
        });
        for (const entry of batch) entry.done();
      } catch (error) {
        for (const entry of batch) entry.done(error as Error);
      }
    });
  }
}
