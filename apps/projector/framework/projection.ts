import { KafkaMessage } from 'kafkajs';
import { EntityManager } from 'typeorm';
import { ProjectionTable } from '@odoo-stream/db';

/** One decoded message with where it came from. */
export interface ProjectedMessage<T> {
  topic: string;
  partition: number;
  offset: string;
  value: T;
  /** The message as read, for the dead-letter topic. */
  message: KafkaMessage;
}

/**
 * A table (or a few) built from Kafka topics. The runner gives it decoded messages of one
 * partition in order, inside the database transaction that also records how far it got.
 * Applying a message twice must change nothing (after a crash, or a group reset to earlier
 * offsets, messages are read again).
 */
export interface Projection<T> {
  /** Also the consumer group's last part: `<prefix>.projector.<name>`. */
  readonly name: string;
  /** Tables it fills; created at start when missing (an operator dropped one to rebuild it). */
  readonly tables: ProjectionTable[];
  /** The topics to read, chosen from those that exist (checked again periodically). */
  selectTopics(existing: string[]): string[];
  /** Throws when the message cannot be applied (it goes to the dead-letter topic); null: skip. */
  decode(topic: string, partition: number, message: KafkaMessage): Promise<T | null>;
  /** Called outside the transaction, before apply: lookups that need no lock. */
  prepare?(messages: ProjectedMessage<T>[]): Promise<void>;
  apply(tx: EntityManager, messages: ProjectedMessage<T>[]): Promise<void>;
  /** This instance fills a rebuild's copy while the live tables stay in `liveSchema`. */
  fillsCopyOf?(liveSchema: string): void;
}
