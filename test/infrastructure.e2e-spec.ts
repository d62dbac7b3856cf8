import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { createKafkaClient, ensureTopics } from '@odoo-stream/kafka';
import { KNOWN_MIGRATIONS, migrateDatabase, PROJECTION_TABLES } from '@odoo-stream/db';
import { runAppToExit } from './support/run-app';
import { createTestDatabase, testKafkaBrokers, uniqueName } from './support/test-stack';

const run = promisify(execFile);

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
      'Telegram1764500000000',
      'Dashboard1764600000000',
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

/** Upgrades and rollbacks of the service database, as docs/upgrading.md describes them. */
describe('service database migrations', () => {
  const CLI = join(__dirname, '..', 'dist', 'apps', 'cli', 'main.js');
  const cli = (url: string, ...args: string[]) =>
    run('node', [CLI, 'migrations', ...args], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: url },
    }).then(
      ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
  const columns = async (url: string) => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'webhook_delivery'`,
      );
      return rows.map((r) => r.column_name as string);
    } finally {
      await client.end();
    }
  };

  it('lists them, reverts to an older one (a dry run first), and applies them again at the next start', async () => {
    const url = await createTestDatabase('rollback');
    await migrateDatabase(url);
    const listed = JSON.parse((await cli(url, '--json')).stdout) as Array<{ applied: boolean }>;
    expect(listed.length).toBe(KNOWN_MIGRATIONS.length);
    expect(listed.every((m) => m.applied)).toBe(true);

    const dry = await cli(url, 'revert', '--to', 'DeliveryNumbers1764300000000');
    expect(dry.stdout).toContain(
      'would undo, newest first:\n  Dashboard1764600000000\n  Telegram1764500000000\n  ReplayedDeliveries1764400000000\n',
    );
    expect(await columns(url)).toContain('replay_id');

    const done = await cli(url, 'revert', '--to', 'DeliveryNumbers1764300000000', '--execute');
    expect(done.stdout).toContain('undone ReplayedDeliveries1764400000000');
    expect(await columns(url)).not.toContain('replay_id');
    expect((await cli(url)).stdout).toMatch(/ReplayedDeliveries1764400000000\s+pending/);

    expect(await migrateDatabase(url)).toEqual([
      'ReplayedDeliveries1764400000000',
      'Telegram1764500000000',
      'Dashboard1764600000000',
    ]);
    expect(await columns(url)).toContain('replay_id');

    const typo = await cli(url, 'revert', '--to', 'NoSuchMigration1', '--execute');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('NoSuchMigration1 is not an applied migration');
  });

  it('refuses to start on a database a newer odoo-stream migrated, saying how to roll back', async () => {
    const url = await createTestDatabase('newer');
    await migrateDatabase(url);
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query(
      `INSERT INTO odoo_stream_migrations (timestamp, name) VALUES (1799999999999, 'FromANewerVersion1799999999999')`,
    );
    await client.end();
    await expect(migrateDatabase(url)).rejects.toThrow(
      /migrated by a newer odoo-stream \(FromANewerVersion1799999999999 unknown to this version\); .*odoo-stream migrations revert --to Dashboard1764600000000 --execute/,
    );
    const result = await runAppToExit('api', {
      DATABASE_URL: url,
      KAFKA_BROKERS: testKafkaBrokers(),
    });
    expect(result.code).toBe(1);
    expect(result.lines.join('\n')).toContain('migrated by a newer odoo-stream');
    expect((await cli(url)).stdout).toMatch(
      /FromANewerVersion1799999999999\s+applied by a newer version/,
    );
  });
});
