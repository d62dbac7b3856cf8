import { ConfigError } from '@odoo-stream/config';
import { StartupError } from './preflight';

/** PostgreSQL SQLSTATEs that no retry mends: authentication, a missing database, privileges. */
const PERMANENT_SQLSTATES = /^(28|3D000|42501)/;
/** Kafka answers that no retry mends: authentication and authorisation. */
const PERMANENT_KAFKA = /SASL|AUTHORIZATION_FAILED|AUTHENTICATION/;

/**
 * Whether a failure is one that waiting mends (a broker restarting, leadership moving, a topic
 * not yet known everywhere, a connection reset) or a permanent one (credentials, configuration,
 * a limit the operator set). Only permanent ones may end a process.
 */
export function isPermanentError(error: unknown): boolean {
  if (error instanceof ConfigError) return true;
  if (error instanceof PermanentError) return true;
  if (error instanceof StartupError) return !error.retriable;
  const e = error as {
    code?: unknown;
    type?: unknown;
    name?: unknown;
    cause?: unknown;
    status?: unknown;
  };
  if (typeof e?.code === 'string' && PERMANENT_SQLSTATES.test(e.code)) return true;
  // An HTTP service (a schema registry) refusing the credentials.
  if (e?.status === 401 || e?.status === 403) return true;
  if (PERMANENT_KAFKA.test(`${String(e?.type ?? '')} ${String(e?.name ?? '')}`)) return true;
  return e?.cause ? isPermanentError(e.cause) : false;
}

/** A failure the operator must act on (a configured limit was passed): never retried. */
export class PermanentError extends Error {
  override name = 'PermanentError';
}
