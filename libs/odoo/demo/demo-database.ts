import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { repoRoot } from '@odoo-stream/config';

/** Creates the demo Odoo tables and ir_model rows (a no-op when they exist). */
export function installDemoSchema(url: string): Promise<void> {
  return runDemoSql(url, 'odoo17-demo-schema.sql');
}

/** Adds OdooBot and the administrator (uid 2, "Mitchell Admin"), as every Odoo database has. */
export function installDemoUsers(url: string): Promise<void> {
  return runDemoSql(url, 'odoo17-demo-users.sql');
}

async function runDemoSql(url: string, file: string): Promise<void> {
  const sql = readFileSync(join(repoRoot(), 'libs', 'odoo', 'demo', file), 'utf8');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
