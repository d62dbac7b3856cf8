import { randomBytes } from 'node:crypto';
import { Kafka } from 'kafkajs';
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
