import { spawn } from 'node:child_process';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { postgresBinDir, restoreDump } from '@odoo-stream/local-infra';
import { testPostgresUrl } from './test-stack';
import { randomBytes } from 'node:crypto';

/**
 * The recorded Odoo 17 database and traffic (test/fixtures/odoo17, see its README), or another
 * recording in ODOO_FIXTURE_DIR.
 */
export const ODOO_FIXTURE =
  process.env.ODOO_FIXTURE_DIR ?? join(__dirname, '..', 'fixtures', 'odoo17');

function fixtureFile(name: string): string {
  const path = join(ODOO_FIXTURE, name);
  if (!existsSync(path)) {
    throw new Error(
      `the Odoo fixture ${path} is missing: set ODOO_FIXTURE_DIR to the folder holding odoo17-base.dump`,
    );
  }
  return path;
}

export interface ExpectedTable {
  model: string;
  rows_before: number;
  rows_after: number;
  row_changes: { insert: number; update: number; delete: number };
}

export function expectedAfterTraffic(): { tables: Record<string, ExpectedTable> } {
  return JSON.parse(readFileSync(fixtureFile('expected-after-traffic.json'), 'utf8'));
}

/** A new database on the test cluster holding the Odoo dump, as Odoo creates databases (UTF8, C). */
export async function restoreOdooDump(): Promise<string> {
  return restoreDump(
    testPostgresUrl,
    `odoo_${randomBytes(4).toString('hex')}`,
    fixtureFile('odoo17-base.dump'),
  );
}

/** Replays the recorded traffic (805 transactions) with psql, stopping at the first error. */
export async function replayTraffic(url: string): Promise<void> {
  const bin = await postgresBinDir();
  await new Promise<void>((resolve, reject) => {
    const psql = spawn(join(bin, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    psql.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    psql.on('error', reject);
    psql.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`psql exited ${code}: ${stderr}`)),
    );
    createReadStream(fixtureFile('traffic.sql.gz')).pipe(createGunzip()).pipe(psql.stdin);
  });
}
