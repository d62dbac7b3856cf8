import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { postgresBinDir } from './local-postgres';

/**
 * Restores a `pg_dump -Fc` file into a new database `name` on the server, created as Odoo creates
 * its databases (UTF8, collation C). `urlOf` gives the server's URL for a database name.
 */
export async function restoreDump(
  urlOf: (database: string) => string,
  name: string,
  dumpFile: string,
): Promise<string> {
  const admin = new Client({ connectionString: urlOf('postgres') });
  await admin.connect();
  try {
    await admin.query(
      `CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`,
    );
  } finally {
    await admin.end();
  }
  const url = urlOf(name);
  const bin = await postgresBinDir();
  await promisify(execFile)(join(bin, 'pg_restore'), ['--no-owner', '-d', url, dumpFile]);
  return url;
}
