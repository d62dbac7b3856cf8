import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { repoRoot } from '@odoo-stream/config';

/** Creates the demo Odoo tables and ir_model rows (a no-op when they exist). */
export async function installDemoSchema(url: string): Promise<void> {
  const sql = readFileSync(
    join(repoRoot(), 'libs', 'odoo', 'demo', 'odoo17-demo-schema.sql'),
    'utf8',
  );
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
