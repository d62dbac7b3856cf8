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

/**
 * Environment for a capture of `url` that shares nothing with other suites: its own topic
 * prefix, slot and publication (all named `prefix`), on the run's broker.
 */
export function captureEnv(
  url: string,
  prefix: string,
  trackedModels: string[],
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    KAFKA_BROKERS: testKafkaBrokers(),
    ODOO_DATABASE_URL: url,
    TOPIC_PREFIX: prefix,
    CAPTURE_SLOT: prefix,
    CAPTURE_PUBLICATION: prefix,
    TRACKED_MODELS: trackedModels.join(','),
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/** Polls `check` until it returns a value (not undefined); fails saying what it waited for. */
export async function pollUntil<T>(
  check: () => Promise<T | undefined>,
  what: string | (() => string),
  timeoutMs = 60_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
