import { Kafka, KafkaJSNonRetriableError } from 'kafkajs';

export interface GroupOffset {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * Commits the offsets of a consumer group that has no running member, every topic at once:
 * what `kafka-consumer-groups --reset-offsets --execute` does. kafkajs's admin.setOffsets joins
 * the group once per topic and waits out a fetch each time (about 5 s a topic); a replay or a
 * rebuild over several topics spent most of its time there.
 */
export async function commitGroupOffsets(
  kafka: Kafka,
  groupId: string,
  offsets: GroupOffset[],
): Promise<void> {
  if (offsets.length === 0) return;
  const topics = [...new Set(offsets.map((o) => o.topic))];
  // A short fetch wait: the first fetch after the join is what tells the seeks were committed.
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 50, allowAutoTopicCreation: false });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    const { state } = await consumer.describeGroup();
    if (state !== 'Empty' && state !== 'Dead') {
      throw new KafkaJSNonRetriableError(
        `consumer group ${groupId} has running members (state ${state}): its offsets were not changed`,
      );
    }
    await new Promise<void>((resolve, reject) => {
      // The seeks are committed (autoCommit) before the fetch that follows the join.
      const stopListening = consumer.on(consumer.events.FETCH, () => {
        stopListening();
        resolve();
      });
      consumer.run({ eachBatchAutoResolve: false, eachBatch: async () => undefined }).catch(reject);
      // Before the join completes (as kafkajs's admin does): nothing is read, and the seeks are
      // applied by the first fetch cycle.
      consumer.pause(topics.map((topic) => ({ topic })));
      for (const o of offsets) consumer.seek(o);
    });
  } finally {
    await consumer.disconnect();
  }
}
