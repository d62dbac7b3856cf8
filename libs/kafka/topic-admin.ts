import { Kafka } from 'kafkajs';
import { retryRetriable } from './retry';

export interface TopicSpec {
  topic: string;
  partitions?: number;
  replicationFactor?: number;
  /** Topic-level settings, for example { 'cleanup.policy': 'compact' }. */
  config?: Record<string, string>;
}

/** Creates the topics that do not exist yet; existing topics are left as they are. */
export async function ensureTopics(kafka: Kafka, specs: TopicSpec[]): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.topic));
    if (missing.length === 0) return [];
    await retryRetriable(async () => {
      // A retry after a partial success must not ask again for what now exists.
      const present = new Set(await admin.listTopics());
      const topics = missing.filter((s) => !present.has(s.topic));
      if (topics.length === 0) return;
      await admin
        .createTopics({
          waitForLeaders: true,
          topics: topics.map((s) => ({
            topic: s.topic,
            numPartitions: s.partitions ?? 1,
            replicationFactor: s.replicationFactor ?? -1,
            configEntries: Object.entries(s.config ?? {}).map(([name, value]) => ({ name, value })),
          })),
        })
        .catch((error: { errors?: Array<{ type?: string }> }) => {
          // Another process (or call) created it meanwhile: that is what was wanted.
          if (!error.errors?.length || error.errors.some((e) => e.type !== 'TOPIC_ALREADY_EXISTS'))
            throw error;
        });
    });
    return missing.map((s) => s.topic);
  } finally {
    await admin.disconnect();
  }
}
