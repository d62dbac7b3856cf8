import { Client } from 'pg';
import { redactUrl } from '@odoo-stream/config';

export interface DatabaseProbeResult {
  ok: boolean;
  problem?: string;
}

/** Connects once; answers with a plain-words problem naming the variable instead of throwing. */
export function probeDatabase(variable: string, url: string): Promise<DatabaseProbeResult> {
  return probe(variable, url, async () => undefined);
}

/** Capture reads the WAL through logical decoding, which needs wal_level = logical on the source. */
export function probeLogicalDecoding(variable: string, url: string): Promise<DatabaseProbeResult> {
  return probe(variable, url, async (client) => {
    const { rows } = await client.query<{ wal_level: string }>('SHOW wal_level');
    const level = rows[0].wal_level;
    return level === 'logical'
      ? undefined
      : `has wal_level = ${level}; capture needs wal_level = logical: set it in postgresql.conf (or ALTER SYSTEM SET wal_level = logical) and restart PostgreSQL`;
  });
}

/** Runs `check` on a fresh connection; it returns what is wrong, or nothing when all is well. */
async function probe(
  variable: string,
  url: string,
  check: (client: Client) => Promise<string | undefined>,
): Promise<DatabaseProbeResult> {
  const where = `${variable} (${redactUrl(url)})`;
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    const problem = await check(client);
    return problem ? { ok: false, problem: `${where} ${problem}` } : { ok: true };
  } catch (error) {
    return { ok: false, problem: `${where} is not usable: ${describePgError(error)}` };
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
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `the server's TLS certificate is not trusted or does not match its host (sslrootcert= names the CA that signed it; sslmode=verify-full also checks the host): ${e.message}`;
    default:
      if (/does not support SSL/.test(e.message ?? '')) {
        return 'the server does not accept TLS (turn ssl on in PostgreSQL, or leave sslmode out of the URL)';
      }
      return e.message ?? String(error);
  }
}
