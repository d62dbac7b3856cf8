import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalStack as LocalStackType } from '@odoo-stream/local-infra';

/**
 * Once per run: build dist/ (suites start the apps as users do, with node dist/apps/<app>/main),
 * then start a real Kafka broker and a private PostgreSQL cluster that every suite shares.
 */
export default async function globalSetup(): Promise<void> {
  const root = join(__dirname, '..');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });

  // Jest's module mapping does not apply to global setup: load the build made just above.
  const { LocalStack } =
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('../dist/libs/local-infra') as typeof import('@odoo-stream/local-infra');
  const home = mkdtempSync(join(tmpdir(), 'odoo-stream-test-'));
  chmodSync(home, 0o755); // the cluster runs as the postgres user when the tests run as root
  const stack = new LocalStack({
    home,
    kafka: true,
    postgres: true,
    // A throw-away cluster: durability settings off for speed.
    // Every suite captures under a prefix of its own, each with its own slot and WAL sender.
    postgresSettings: {
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      max_replication_slots: '100',
      max_wal_senders: '40',
    },
  });
  await stack.start();
  process.env.TEST_KAFKA_BROKERS = stack.kafka?.bootstrapAddress;
  process.env.TEST_POSTGRES_URL = stack.postgres?.url('postgres');
  process.env.TEST_HOME = home;
  (globalThis as { __odooStreamStack?: LocalStackType }).__odooStreamStack = stack;
}
