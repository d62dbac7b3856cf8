import { AppConfig, AppName } from '@odoo-stream/config';
import {
  migrateDatabase,
  NewerDatabaseError,
  probeDatabase,
  probeLogicalDecoding,
} from '@odoo-stream/db';
import { probeKafka } from '@odoo-stream/kafka';
import { createServer } from 'node:net';
import { Logger } from 'pino';

/** A start-up problem with a one-line explanation; the runner prints it and exits non-zero. */
export class StartupError extends Error {
  override name = 'StartupError';
  /** Waiting may mend it (a replication slot another process is letting go of). */
  readonly retriable: boolean;

  constructor(message: string, options: { retriable?: boolean } = {}) {
    super(message);
    this.retriable = options.retriable ?? false;
  }
}

interface Probe {
  ok: boolean;
  problem?: string;
}

/** The api's address can be listened on: tried with a server that is closed at once. */
export function probeListenAddress(host: string, port: number): Promise<Probe> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        resolve({
          ok: false,
          problem: `API_PORT ${port} is already in use on ${host}; set API_PORT to a free port`,
        });
      } else if (error.code === 'EADDRNOTAVAIL') {
        resolve({ ok: false, problem: `API_HOST ${host} is not an address of this machine` });
      } else if (error.code === 'EACCES') {
        resolve({ ok: false, problem: `API_PORT ${port} needs privileges; use a port above 1023` });
      } else {
        resolve({ ok: false, problem: `cannot listen on ${host}:${port}: ${error.message}` });
      }
    });
    server.listen(port, host, () => server.close(() => resolve({ ok: true })));
  });
}

/**
 * What `npm start` can check before it starts a local broker or cluster: the api's address and
 * every dependency whose variable is set (an operator's Kafka, a database without wal_level=logical).
 * Unset ones are started locally afterwards and checked by {@link preflight}.
 */
export async function preflightSetParts(
  config: AppConfig,
  set: {
    kafka: boolean;
    database: boolean;
    odooDatabase: boolean;
  },
): Promise<void> {
  const checks: Array<Promise<Probe>> = [probeListenAddress(config.apiHost, config.apiPort)];
  if (set.kafka) checks.push(probeKafka(config));
  if (set.database && config.databaseUrl) {
    checks.push(probeDatabase('DATABASE_URL', config.databaseUrl));
  }
  if (set.odooDatabase && config.odooDatabaseUrl) {
    checks.push(probeLogicalDecoding('ODOO_DATABASE_URL', config.odooDatabaseUrl));
  }
  const problems = (await Promise.all(checks)).filter((r) => !r.ok).map((r) => r.problem);
  if (problems.length) throw new StartupError(problems.join('; '));
}

const USES_SERVICE_DATABASE: AppName[] = ['api', 'projector', 'dispatcher'];

/**
 * Checks what the apps depend on before Nest starts, so that a wrong address gives one clear line
 * instead of a hang or a stack trace, then applies the service database's migrations.
 */
export async function preflight(config: AppConfig, apps: AppName[], logger: Logger): Promise<void> {
  const checks: Array<Promise<Probe>> = [probeKafka(config)];
  if (config.databaseUrl && apps.some((a) => USES_SERVICE_DATABASE.includes(a))) {
    checks.push(probeDatabase('DATABASE_URL', config.databaseUrl));
  }
  if (config.odooDatabaseUrl && apps.includes('capture')) {
    checks.push(probeLogicalDecoding('ODOO_DATABASE_URL', config.odooDatabaseUrl));
  }
  const problems = (await Promise.all(checks)).filter((r) => !r.ok).map((r) => r.problem);
  if (problems.length) throw new StartupError(problems.join('; '));

  if (config.databaseUrl && apps.some((a) => USES_SERVICE_DATABASE.includes(a))) {
    const applied = await migrateDatabase(config.databaseUrl).catch((error: Error) => {
      throw error instanceof NewerDatabaseError ? new StartupError(error.message) : error;
    });
    if (applied.length)
      logger.info({ migrations: applied }, `applied ${applied.length} database migration(s)`);
  }
}
