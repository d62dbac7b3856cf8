import { AppConfig, AppName } from '@odoo-stream/config';
import { migrateDatabase, probeDatabase, probeLogicalDecoding } from '@odoo-stream/db';
import { probeKafka } from '@odoo-stream/kafka';
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

const USES_SERVICE_DATABASE: AppName[] = ['api', 'projector', 'dispatcher'];

/**
 * Checks what the apps depend on before Nest starts, so that a wrong address gives one clear line
 * instead of a hang or a stack trace, then applies the service database's migrations.
 */
export async function preflight(config: AppConfig, apps: AppName[], logger: Logger): Promise<void> {
  const checks: Array<Promise<{ ok: boolean; problem?: string }>> = [probeKafka(config)];
  if (config.databaseUrl && apps.some((a) => USES_SERVICE_DATABASE.includes(a))) {
    checks.push(probeDatabase('DATABASE_URL', config.databaseUrl));
  }
  if (config.odooDatabaseUrl && apps.includes('capture')) {
    checks.push(probeLogicalDecoding('ODOO_DATABASE_URL', config.odooDatabaseUrl));
  }
  const problems = (await Promise.all(checks)).filter((r) => !r.ok).map((r) => r.problem);
  if (problems.length) throw new StartupError(problems.join('; '));

  if (config.databaseUrl && apps.some((a) => USES_SERVICE_DATABASE.includes(a))) {
    const applied = await migrateDatabase(config.databaseUrl);
    if (applied.length)
      logger.info({ migrations: applied }, `applied ${applied.length} database migration(s)`);
  }
}
