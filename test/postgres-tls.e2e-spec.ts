import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { probeDatabase } from '@odoo-stream/db';
import { LocalPostgres } from '@odoo-stream/local-infra';
import { installDemoSchema, installDemoUsers } from '@odoo-stream/odoo';
import { AppProcess } from './support/app-process';
import { makeTestCertificates } from './support/test-certificates';
import { insertPartner } from './support/feed-stack';
import { captureEnv, pollUntil, uniqueName } from './support/test-stack';

/** Both databases over TLS (sslmode and sslrootcert in the URL), the replication connection too. */
describe('PostgreSQL over TLS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'odoo-stream-pg-tls-'));
  const at = (name: string) => join(dir, name);
  let postgres: LocalPostgres;
  const apps: AppProcess[] = [];

  beforeAll(async () => {
    makeTestCertificates(dir, ['ca', 'other-ca'], ['server']);
    // The server reads its key as its own user, and only a key nobody else can read.
    chmodSync(dir, 0o755);
    chmodSync(at('server.key'), 0o600);
    if (process.getuid?.() === 0) {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
      chownSync(at('server.key'), uid, gid);
    }
    postgres = new LocalPostgres({
      dir: at('cluster'),
      settings: {
        ssl: 'on',
        ssl_cert_file: at('server.crt'),
        ssl_key_file: at('server.key'),
        fsync: 'off',
      },
    });
    await postgres.start();
  });

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.stop()));
    await postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const tls = (url: string, ca = at('ca.crt')) => `${url}?sslmode=verify-full&sslrootcert=${ca}`;

  it('captures and projects with both databases and the replication stream over TLS', async () => {
    const odooUrl = await postgres.createDatabase('odoo_tls');
    const streamUrl = await postgres.createDatabase('stream_tls');
    await installDemoSchema(odooUrl);
    await installDemoUsers(odooUrl);
    const prefix = uniqueName('tls').replace(/-/g, '_');
    const env = captureEnv(tls(odooUrl), prefix, ['res.partner'], {
      DATABASE_URL: tls(streamUrl),
      LOG_LEVEL: 'info',
    });
    for (const app of ['capture', 'projector']) {
      const child = new AppProcess(app, env);
      child.start();
      apps.push(child);
    }
    await Promise.all(apps.map((a) => a.waitForLog(/^ready/, 120_000)));
    const odoo = new Client({ connectionString: tls(odooUrl) });
    const stream = new Client({ connectionString: tls(streamUrl) });
    await odoo.connect();
    await stream.connect();
    try {
      const id = await pollUntil(
        async () => {
          const partner = await insertPartner(odoo, 'Over TLS');
          await new Promise((r) => setTimeout(r, 300));
          const { rowCount } = await stream.query(
            `SELECT 1 FROM update_webhook WHERE model = 'res.partner' AND record_id = $1`,
            [partner],
          );
          return rowCount === 1 ? partner : undefined;
        },
        'a partner in the feed',
        120_000,
      );
      expect(id).toBeGreaterThan(0);
      // Every connection of the apps is encrypted, the walsender's included.
      const { rows } = await odoo.query(
        `SELECT a.backend_type, a.datname, s.ssl FROM pg_stat_activity a
         JOIN pg_stat_ssl s USING (pid) WHERE a.datname IN ('odoo_tls', 'stream_tls')
           AND a.pid <> pg_backend_pid()`,
      );
      expect(rows.length).toBeGreaterThan(2);
      expect(rows.filter((r) => !r.ssl)).toEqual([]);
      expect(rows.map((r) => r.backend_type)).toContain('walsender');
    } finally {
      await odoo.end();
      await stream.end();
    }
  });

  it('refuses a server whose certificate it cannot trust, saying so', async () => {
    const url = await postgres.createDatabase('probe_tls');
    const probe = await probeDatabase('DATABASE_URL', tls(url, at('other-ca.crt')));
    expect(probe.ok).toBe(false);
    expect(probe.problem).toMatch(/TLS certificate is not trusted/);
  });
});
