import { randomBytes } from 'node:crypto';
import { Admin, Kafka } from 'kafkajs';
import { retryRetriable } from '@odoo-stream/kafka';

/**
 * The time of the earliest event the topics still hold (null: they hold none): the first message
 * of every partition, read by a consumer that commits nothing.
 */
export async function earliestTimestamps(
  kafka: Kafka,
  admin: Admin,
  topics: string[],
  timeoutMs = 30_000,
): Promise<number | null> {
  const waiting = new Set<string>();
  for (const topic of topics) {
    for (const p of await admin.fetchTopicOffsets(topic)) {
      if (BigInt(p.high) > BigInt(p.low)) waiting.add(`${topic}/${p.partition}`);
    }
  }
  if (waiting.size === 0) return null;
  const reading = [...new Set([...waiting].map((k) => k.slice(0, k.lastIndexOf('/'))))];
  let earliest = Number.POSITIVE_INFINITY;
  const consumer = kafka.consumer({
    groupId: `odoo-stream.earliest.${randomBytes(6).toString('hex')}`,
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  try {
    await retryRetriable(() => consumer.subscribe({ topics: reading, fromBeginning: true }));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`could not read the first events of ${reading.join(', ')}`)),
        timeoutMs,
      );
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const key = `${batch.topic}/${batch.partition}`;
            if (!waiting.has(key) || batch.messages.length === 0) return;
            waiting.delete(key);
            earliest = Math.min(earliest, Number(batch.messages[0].timestamp));
            if (waiting.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return earliest;
}
