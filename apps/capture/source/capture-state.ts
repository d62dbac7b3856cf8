import { Kafka } from 'kafkajs';
import { CompactedTopic } from '@odoo-stream/kafka';

/** What capture must remember beyond the slot: whether the slot's initial snapshot completed. */
export interface CaptureState {
  slot: string;
  snapshotLsn: string;
  snapshotCompletedAt: string;
  tables: string[];
}

/** Capture's state in a compacted topic keyed by slot name: Kafka-side, never in Odoo's database. */
export class CaptureStateStore {
  private readonly topic: CompactedTopic;

  constructor(kafka: Kafka, topic: string) {
    this.topic = new CompactedTopic(kafka, topic);
  }

  async load(slot: string): Promise<CaptureState | undefined> {
    const value = (await this.topic.read()).get(slot);
    return value ? (JSON.parse(value.toString()) as CaptureState) : undefined;
  }

  save(state: CaptureState): Promise<void> {
    return this.topic.append(state.slot, JSON.stringify(state));
  }

  close(): Promise<void> {
    return this.topic.close();
  }
}
