import { createKafkaClient, ensureTopics } from '@odoo-stream/kafka';
import { kafkaTool } from './support/kafka-tool';
import { testKafkaBrokers, uniqueName } from './support/test-stack';

describe("Kafka's own tools from the jar cache", () => {
  it('see the topics and consumer groups odoo-stream creates', async () => {
    const brokers = testKafkaBrokers();
    const [host, port] = brokers.split(':');
    const kafka = createKafkaClient({
      kafka: { clientId: 'tools-test', brokers: [{ host, port: Number(port) }] },
    });
    const topic = uniqueName('odoo.test.tools');
    const groupId = uniqueName('odoo.projector.tools-test');
    await ensureTopics(kafka, [{ topic, partitions: 2 }]);

    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [
        { key: '1', value: 'a' },
        { key: '2', value: 'b' },
      ],
    });
    await producer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(topic);
    await admin.setOffsets({
      groupId,
      topic,
      partitions: ends.map((p) => ({ partition: p.partition, offset: p.offset })),
    });
    await admin.disconnect();

    const topics = await kafkaTool(
      'topics',
      '--bootstrap-server',
      brokers,
      '--describe',
      '--topic',
      topic,
    );
    expect(topics.stdout).toMatch(
      new RegExp(`Topic: ${topic.replace(/\./g, '\\.')}\\s+TopicId: \\S+\\s+PartitionCount: 2`),
    );

    const groups = await kafkaTool(
      'consumer-groups',
      '--bootstrap-server',
      brokers,
      '--describe',
      '--group',
      groupId,
    );
    const rows = groups.stdout.split('\n').filter((l) => l.startsWith(groupId));
    expect(rows).toHaveLength(2);
    // Committed offset equals the end offset on every partition: lag 0.
    for (const row of rows) expect(row.split(/\s+/)[5]).toBe('0');
  });

  it('prints usage for --help and refuses an unknown tool', async () => {
    expect((await kafkaTool('--help')).stdout).toContain('consumer-groups');
    await expect(kafkaTool('no-such-tool')).rejects.toMatchObject({
      stderr: expect.stringContaining("unknown tool 'no-such-tool'"),
    });
  });
});
