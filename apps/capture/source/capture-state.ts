import { Kafka, Producer } from 'kafkajs';
import { createOrderedProducer, ensureTopics, readCompactedTopic } from '@odoo-stream/kafka';

/** What capture must remember beyond the slot: whether the slot's initial snapshot completed. */
export interface CaptureState {
  slot: string;
  snapshotLsn: string;
  snapshotCompletedAt: string;
  tables: string[];
}

/** Capture's state in a compacted topic keyed by slot name: Kafka-side, never in Odoo's database. */
export class CaptureStateStore {
  private producer?: Producer;

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
  ) {}

  async load(slot: string): Promise<CaptureState | undefined> {
    await ensureTopics(this.kafka, [
      { topic: this.topic, partitions: 1, config: { 'cleanup.policy': 'compact' } },
    ]);
    const value = (await readCompactedTopic(this.kafka, this.topic)).get(slot);
    return value ? (JSON.parse(value.toString()) as CaptureState) : undefined;
  }

  async save(state: CaptureState): Promise<void> {
    if (!this.producer) {
      this.producer = createOrderedProducer(this.kafka);
      await this.producer.connect();
    }
    await this.producer.send({
      topic: this.topic,
      acks: -1,
      messages: [{ key: state.slot, value: JSON.stringify(state) }],
    });
  }

  async close(): Promise<void> {
    await this.producer?.disconnect();
  }
}
