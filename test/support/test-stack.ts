import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** Where the run's shared broker and cluster are (set by test/global-setup.ts). */
export function testKafkaBrokers(): string {
  const brokers = process.env.TEST_KAFKA_BROKERS;
  if (!brokers)
    throw new Error('TEST_KAFKA_BROKERS is not set: run the suites through jest (npm test)');
  return brokers;
}

export function testPostgresUrl(database = 'postgres'): string {
  const url = process.env.TEST_POSTGRES_URL;
  if (!url) throw new Error('TEST_POSTGRES_URL is not set: run the suites through jest (npm test)');
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** A new, empty database on the shared cluster, so suites never see each other's rows. */
export async function createTestDatabase(prefix: string): Promise<string> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const client = new Client({ connectionString: testPostgresUrl() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  return testPostgresUrl(name);
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}
