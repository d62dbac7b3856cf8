import { internalTopic } from '@odoo-stream/events';
import { TopicSpec } from './topic-admin';

/**
 * The topics the api writes acknowledgements to and consumers send dead letters to. The
 * acknowledgement topics are the only record of what was processed and where each device is:
 * they are kept forever (a rebuild reads them from the start) and have one partition, so a
 * rebuild applies them in the order they were written.
 */
export function streamTopics(prefix: string, replicationFactor = -1) {
  const kept: TopicSpec['config'] = { 'retention.ms': '-1', 'retention.bytes': '-1' };
  return {
    feedAcks: {
      topic: internalTopic(prefix, 'feed-acks'),
      partitions: 1,
      replicationFactor,
      config: kept,
    },
    syncAcks: {
      topic: internalTopic(prefix, 'sync-acks'),
      partitions: 1,
      replicationFactor,
      config: kept,
    },
    deliveryAttempts: {
      topic: internalTopic(prefix, 'delivery-attempts'),
      partitions: 1,
      replicationFactor,
      config: kept,
    },
    deliveryCommands: {
      topic: internalTopic(prefix, 'delivery-commands'),
      partitions: 1,
      replicationFactor,
    },
    // Pause and resume commands to running consumers, and the record of replays and rebuilds.
    control: {
      topic: internalTopic(prefix, 'control'),
      partitions: 1,
      replicationFactor,
      config: kept,
    },
    // Telegram updates, operator actions and send results: the Telegram tables' only source.
    telegram: {
      topic: internalTopic(prefix, 'telegram'),
      partitions: 1,
      replicationFactor,
      config: kept,
    },
    alerts: { topic: internalTopic(prefix, 'alerts'), partitions: 1, replicationFactor },
    deadLetters: { topic: internalTopic(prefix, 'dead-letters'), partitions: 1, replicationFactor },
  } satisfies Record<string, TopicSpec>;
}
