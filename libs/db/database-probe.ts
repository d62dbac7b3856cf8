import { Client } from 'pg';
import { redactUrl } from '@odoo-stream/config';

export interface DatabaseProbeResult {
  ok: boolean;
  problem?: string;
  serverVersion?: string;
}

/** Connects once; answers with a plain-words problem naming the variable instead of throwing. */
export async function probeDatabase(variable: string, url: string): Promise<DatabaseProbeResult> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return { ok: true, serverVersion: rows[0].server_version };
  } catch (error) {
    return {
      ok: false,
      problem: `${variable} (${redactUrl(url)}) is not usable: ${describePgError(error)}`,
    };
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function describePgError(error: unknown): string {
  const e = error as { code?: string; message?: string };
  switch (e.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve';
    case 'ECONNREFUSED':
      return 'connection refused (is PostgreSQL running on that host and port?)';
    case '28P01':
    case '28000':
      return `authentication failed: ${e.message}`;
    case '3D000':
      return `${e.message} (create it, or name an existing database)`;
    default:
      return e.message ?? String(error);
  }
}

/** Capture reads the WAL through logical decoding, which needs wal_level = logical on the source. */
export async function probeLogicalDecoding(
  variable: string,
  url: string,
): Promise<DatabaseProbeResult> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ wal_level: string }>('SHOW wal_level');
    if (rows[0].wal_level !== 'logical') {
      return {
        ok: false,
        problem: `${variable} (${redactUrl(url)}) has wal_level = ${rows[0].wal_level}; capture needs wal_level = logical: set it in postgresql.conf (or ALTER SYSTEM SET wal_level = logical) and restart PostgreSQL`,
      };
    }
    return { ok: true };
  } catch (error) {
    return {
      ok: false,
      problem: `${variable} (${redactUrl(url)}) is not usable: ${describePgError(error)}`,
    };
  } finally {
    await client.end().catch(() => undefined);
  }
}
