import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, LocalPostgres } from '@odoo-stream/local-infra';
import { runAppToExit } from './support/run-app';
import { testKafkaBrokers, testPostgresUrl } from './support/test-stack';

/** A misconfigured app says what is wrong in one JSON log line and exits 1: no hang, no stack. */
async function expectOneClearLine(app: string, env: Record<string, string>, pattern: RegExp) {
  const result = await runAppToExit(app, env);
  expect(result.code).toBe(1);
  expect(result.stderr).toBe('');
  expect(result.lines).toHaveLength(1);
  const line = JSON.parse(result.lines[0]);
  expect(line).toMatchObject({ level: 60, app });
  expect(line.msg).toMatch(pattern);
  expect(result.lines[0]).not.toMatch(/\bat .+\.js:\d+/);
  return result;
}

describe('start-up with bad configuration', () => {
  const database = () => testPostgresUrl('postgres');

  it('names a missing variable', async () => {
    await expectOneClearLine(
      'capture',
      { KAFKA_BROKERS: testKafkaBrokers() },
      /ODOO_DATABASE_URL is required but not set/,
    );
  });

  it('names a KAFKA_BROKERS entry without a host', async () => {
    await expectOneClearLine(
      'api',
      { KAFKA_BROKERS: ':9092', DATABASE_URL: database() },
      /KAFKA_BROKERS entry ':9092' is not host:port/,
    );
  });

  it('says when the broker host does not resolve', async () => {
    await expectOneClearLine(
      'projector',
      { KAFKA_BROKERS: 'kafka.invalid:9092', DATABASE_URL: database() },
      /Kafka at kafka\.invalid:9092 is not reachable: the broker host name does not resolve/,
    );
  });

  it('says when no broker listens, within seconds', async () => {
    const port = await freePort();
    const result = await expectOneClearLine(
      'dispatcher',
      { KAFKA_BROKERS: `127.0.0.1:${port}`, DATABASE_URL: database() },
      new RegExp(`Kafka at 127\\.0\\.0\\.1:${port} is not reachable: connection refused`),
    );
    expect(result.ms).toBeLessThan(20_000);
  });

  it('names a DATABASE_URL that is not a URL', async () => {
    await expectOneClearLine(
      'api',
      { KAFKA_BROKERS: testKafkaBrokers(), DATABASE_URL: 'localhost/odoo_stream' },
      /DATABASE_URL is not a URL/,
    );
  });

  it('names a DATABASE_URL whose database does not exist, hiding its password', async () => {
    const url = new URL(testPostgresUrl('no_such_database'));
    url.password = 's3cret';
    const result = await expectOneClearLine(
      'api',
      { KAFKA_BROKERS: testKafkaBrokers(), DATABASE_URL: url.toString() },
      /DATABASE_URL \(postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/no_such_database\) is not usable: database "no_such_database" does not exist/,
    );
    expect(result.lines[0]).not.toContain('s3cret');
  });

  it('names a DATABASE_URL where nothing listens', async () => {
    const port = await freePort();
    await expectOneClearLine(
      'api',
      {
        KAFKA_BROKERS: testKafkaBrokers(),
        DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/odoo_stream`,
      },
      /DATABASE_URL .* is not usable: connection refused/,
    );
  });

  it('tells capture to turn on logical decoding when the Odoo database has wal_level = replica', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'odoo-stream-replica-'));
    chmodSync(dir, 0o755);
    const cluster = new LocalPostgres({ dir, settings: { wal_level: 'replica', fsync: 'off' } });
    try {
      await cluster.start();
      await expectOneClearLine(
        'capture',
        { KAFKA_BROKERS: testKafkaBrokers(), ODOO_DATABASE_URL: cluster.url('postgres') },
        /ODOO_DATABASE_URL \(.*\) has wal_level = replica; capture needs wal_level = logical/,
      );
      // npm start says so before it starts a local broker and cluster for the rest.
      const home = join(dir, 'home');
      const standalone = await expectOneClearLine(
        'standalone',
        { ODOO_STREAM_HOME: home, ODOO_DATABASE_URL: cluster.url('postgres') },
        /wal_level = replica; capture needs wal_level = logical/,
      );
      expect(existsSync(join(home, 'kafka'))).toBe(false);
      expect(standalone.ms).toBeLessThan(20_000);
    } finally {
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('npm start names a taken API_PORT before it starts anything', async () => {
    const home = mkdtempSync(join(tmpdir(), 'odoo-stream-port-'));
    const taken = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => taken.listen(port, '127.0.0.1', resolve));
    try {
      await expectOneClearLine(
        'standalone',
        { ODOO_STREAM_HOME: home, API_PORT: String(port) },
        new RegExp(`API_PORT ${port} is already in use on 127\\.0\\.0\\.1; set API_PORT`),
      );
      expect(readdirSync(home)).toEqual([]);
    } finally {
      taken.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
