import { Client } from 'pg';
import { createKafkaClient, ensureTopics } from '@odoo-stream/kafka';
import { migrateDatabase, PROJECTION_TABLES } from '@odoo-stream/db';
import { createTestDatabase, testKafkaBrokers, uniqueName } from './support/test-stack';

const config = {
  kafka: {
    clientId: 'infrastructure-test',
    brokers: testKafkaBrokers()
      .split(',')
      .map((b) => ({ host: b.split(':')[0], port: Number(b.split(':')[1]) })),
  },
};

describe('local infrastructure', () => {
  it('creates a topic with the requested partitions and settings through the admin client', async () => {
    const kafka = createKafkaClient(config);
    const topic = uniqueName('odoo.test.compacted');
    expect(
      await ensureTopics(kafka, [
        { topic, partitions: 3, config: { 'cleanup.policy': 'compact' } },
      ]),
    ).toEqual([topic]);
    // A second call changes nothing.
    expect(await ensureTopics(kafka, [{ topic, partitions: 3 }])).toEqual([]);

    const admin = kafka.admin();
    await admin.connect();
    try {
      const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
      expect(metadata.partitions).toHaveLength(3);
      const described = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: 2, name: topic, configNames: ['cleanup.policy'] }],
      });
      expect(described.resources[0].configEntries[0].configValue).toBe('compact');
    } finally {
      await admin.disconnect();
    }
  });

  it('produces and consumes a keyed message through the broker', async () => {
    const kafka = createKafkaClient(config);
    const topic = uniqueName('odoo.test.roundtrip');
    await ensureTopics(kafka, [{ topic }]);

    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    await producer.send({
      topic,
      acks: -1,
      messages: [{ key: '42', value: JSON.stringify({ name: 'S00042' }) }],
    });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: uniqueName('infrastructure-test') });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received = await new Promise<{ key: string; value: string }>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) =>
          resolve({ key: String(message.key), value: String(message.value) }),
      });
    });
    await consumer.disconnect();
    expect(received).toEqual({ key: '42', value: JSON.stringify({ name: 'S00042' }) });
  });

  it('runs the service migrations once, even when two apps start together, on a logical-WAL cluster', async () => {
    const url = await createTestDatabase('migrations');
    const [first, second] = await Promise.all([migrateDatabase(url), migrateDatabase(url)]);
    expect([...first, ...second]).toEqual([
      'CreateUpdateWebhook1763800000000',
      'CreateProjectionState1763900000000',
      'CreateWebhookDelivery1764000000000',
      'KeepFeedIdsAndRotation1764100000000',
      'DeviceIdsAsTheAddon1764200000000',
      'DeliveryNumbers1764300000000',
      'ReplayedDeliveries1764400000000',
    ]);

    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      expect((await client.query('SHOW wal_level')).rows[0].wal_level).toBe('logical');
      const columns = await client.query(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'update_webhook' ORDER BY column_name`,
      );
      expect(columns.rows.map((r) => r.column_name)).toEqual(
        expect.arrayContaining([
          'id',
          'event_id',
          'model',
          'record_id',
          'event',
          'payload',
          'is_processed',
          'kafka_offset',
        ]),
      );
    } finally {
      await client.end();
    }
  });

  it('creates the same projection tables through migrations as the projector does when one was dropped', async () => {
    const migrated = await createTestDatabase('migrated');
    await migrateDatabase(migrated);
    const created = await createTestDatabase('created');
    const client = new Client({ connectionString: created });
    await client.connect();
    try {
      for (const statements of Object.values(PROJECTION_TABLES)) {
        for (const statement of statements) await client.query(statement);
      }
    } finally {
      await client.end();
    }
    const shape = async (url: string) => {
      const c = new Client({ connectionString: url });
      await c.connect();
      try {
        const { rows } = await c.query(
          `SELECT table_name, column_name, data_type, character_maximum_length, is_nullable,
             column_default
           FROM information_schema.columns
           WHERE table_schema = 'public' AND table_name = ANY($1::text[])
           ORDER BY table_name, column_name`,
          [Object.keys(PROJECTION_TABLES)],
        );
        const indexes = await c.query(
          `SELECT indexname, indexdef FROM pg_indexes
           WHERE schemaname = 'public' AND tablename = ANY($1::text[]) ORDER BY indexname`,
          [Object.keys(PROJECTION_TABLES)],
        );
        return { columns: rows, indexes: indexes.rows };
      } finally {
        await c.end();
      }
    };
    expect(await shape(created)).toEqual(await shape(migrated));
  });
});
