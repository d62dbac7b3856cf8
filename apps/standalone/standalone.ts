import { INestApplicationContext } from '@nestjs/common';
import { Logger } from 'pino';
import { AppConfig, Environment, loadConfig, redactUrl, repoRoot } from '@odoo-stream/config';
import { HomeInUseError, HomeLock, LocalStack, localStackHome } from '@odoo-stream/local-infra';
import { createLogger } from '@odoo-stream/observability';
import { DemoOdooTraffic, installDemoSchema, installDemoUsers } from '@odoo-stream/odoo';
import {
  AppDefinition,
  exitOnFatal,
  keepAlive,
  preflight,
  preflightSetParts,
  StartCancellation,
  startApp,
  startOrExit,
  StartupError,
  stopOnSignal,
} from '@odoo-stream/runtime';
import { apiApp } from '../api/api.app';
import { captureApp } from '../capture/capture.app';
import { dispatcherApp } from '../dispatcher/dispatcher.app';
import { projectorApp } from '../projector/projector.app';
import { ensureLocalCredentials } from '../api/auth/kept-credentials';

/** Started in this order; stopped in the reverse one, so the api goes first and capture last. */
const APPS: AppDefinition[] = [captureApp, projectorApp, dispatcherApp, apiApp];

export const SERVICE_DATABASE = 'odoo_stream';
export const DEMO_ODOO_DATABASE = 'odoo_demo';

export const USAGE = `usage: npm start   (or: node dist/apps/standalone/main)

Runs odoo-stream's four apps (capture, projector, dispatcher, api) in one process.

With KAFKA_BROKERS unset, it starts a local Apache Kafka broker; with DATABASE_URL or
ODOO_DATABASE_URL unset, a local PostgreSQL cluster (wal_level=logical) holding the service
database '${SERVICE_DATABASE}' and a demo Odoo database '${DEMO_ODOO_DATABASE}'. Their data is kept in
ODOO_STREAM_HOME (default: .data in the checkout). The demo database gets Odoo 17's tables for
the tracked models and, unless DEMO_TRAFFIC=false, a few Odoo-shaped changes a second, so that
events flow at once. Without API_KEYS, an integration key (also the admin key, unless
ADMIN_API_KEYS is set) is made once and kept in ODOO_STREAM_HOME/api-key, which the ready line
names (no key is ever written to the log). Ctrl-C stops the apps, then what it started; during
start-up it stops at the next step. One run per ODOO_STREAM_HOME.

Every variable is described in README.md (Configuration).`;

interface Running {
  lock?: HomeLock;
  stack?: LocalStack;
  apps: INestApplicationContext[];
  demo?: DemoOdooTraffic;
}

/** `npm start`: the whole pipeline, on local Kafka and PostgreSQL unless told where they are. */
export async function runStandalone(env: Environment): Promise<void> {
  const logger = createLogger('standalone', (env.LOG_LEVEL as AppConfig['logLevel']) ?? 'info');
  const running: Running = { apps: [] };
  // Handlers first: a signal that arrives while starting stops whatever has started by then.
  const release = keepAlive();
  let starting: Promise<unknown> = Promise.resolve();
  const cancellation = new StartCancellation();
  const stop = async () => {
    cancellation.cancel();
    await starting.catch(() => undefined);
    await stopAll(running, logger);
    release();
  };
  stopOnSignal(stop, logger);
  exitOnFatal(stop, logger);
  starting = startOrExit(logger, async () => {
    // Variables that are set, and what they point at, are checked before anything is started.
    await preflightSetParts(loadConfig(env, []), {
      kafka: Boolean(env.KAFKA_BROKERS),
      database: Boolean(env.DATABASE_URL),
      odooDatabase: Boolean(env.ODOO_DATABASE_URL),
    });
    const resolved = { ...env };
    try {
      running.stack = await startLocalStack(resolved, logger, running);
      cancellation.check();
      // Only a local run gets credentials made for it; an operator's configuration is left alone.
      const credentials = running.stack
        ? ensureLocalCredentials(resolved, localStackHome(env, repoRoot()))
        : {};
      const demo = !env.ODOO_DATABASE_URL;
      if (demo) {
        await installDemoSchema(resolved.ODOO_DATABASE_URL as string);
        await installDemoUsers(resolved.ODOO_DATABASE_URL as string);
      }
      cancellation.check();
      const config = loadConfig(
        resolved,
        APPS.map((a) => a.name),
      );
      await preflight(
        config,
        APPS.map((a) => a.name),
        logger,
      );
      for (const app of APPS) {
        cancellation.check();
        running.apps.push(await startApp(app, config, createLogger(app.name, config.logLevel)));
      }
      cancellation.check();
      if (demo && env.DEMO_TRAFFIC !== 'false') {
        running.demo = new DemoOdooTraffic(resolved.ODOO_DATABASE_URL as string, logger);
        await running.demo.start();
      }
      const api = `http://${config.apiHost}:${config.apiPort}`;
      const dashboard = config.odooUrl ? `${api}/dashboard/` : `${api}/`;
      logger.info(
        {
          api,
          dashboard,
          kafka: resolved.KAFKA_BROKERS,
          database: redactUrl(config.databaseUrl as string),
          odoo_database: redactUrl(config.odooDatabaseUrl as string),
          api_key_file: credentials.file,
        },
        `odoo-stream ready: dashboard ${dashboard}, API ${api} (docs /api/docs, readiness /health/ready, metrics /metrics), ` +
          `Kafka ${resolved.KAFKA_BROKERS}, DATABASE_URL ${redactUrl(config.databaseUrl as string)}, ` +
          `ODOO_DATABASE_URL ${redactUrl(config.odooDatabaseUrl as string)}` +
          (credentials.apiKey
            ? `; the X-API-Key for the feed is in ${credentials.file} (never in a log line)`
            : ''),
      );
    } catch (error) {
      await stopAll(running, logger);
      throw error;
    }
  });
  await starting;
}

async function startLocalStack(
  env: Environment,
  logger: Logger,
  running: Running,
): Promise<LocalStack | undefined> {
  const kafka = !env.KAFKA_BROKERS;
  const postgres = !env.DATABASE_URL || !env.ODOO_DATABASE_URL;
  if (!kafka && !postgres) return undefined;

  const home = localStackHome(env, repoRoot());
  // Before anything in the folder is touched: its broker and cluster may be another run's.
  const lock = new HomeLock(home);
  try {
    lock.acquire();
  } catch (error) {
    if (error instanceof HomeInUseError) throw new StartupError(error.message);
    throw error;
  }
  running.lock = lock;
  const parts = [kafka && 'Kafka', postgres && 'PostgreSQL'].filter(Boolean).join(' and ');
  logger.info(`starting local ${parts} in ${home}`);
  const stack = new LocalStack({
    home,
    kafka,
    postgres,
    shareBrokerClasses: true,
    log: (m) => logger.info(m),
  });
  await stack.start();
  if (stack.kafka) env.KAFKA_BROKERS = stack.kafka.bootstrapAddress;
  if (stack.postgres) {
    env.DATABASE_URL ||= await stack.postgres.createDatabase(SERVICE_DATABASE);
    env.ODOO_DATABASE_URL ||= await stack.postgres.createDatabase(DEMO_ODOO_DATABASE);
  }
  return stack;
}

async function stopAll(running: Running, logger: Logger): Promise<void> {
  await running.demo?.stop();
  for (const app of running.apps.splice(0).reverse()) {
    await app.close().catch((e: unknown) => logger.error({ err: e }, 'an app failed to stop'));
  }
  if (running.stack) {
    logger.info('stopping local Kafka and PostgreSQL');
    await running.stack.stop();
    running.stack = undefined;
  }
  running.lock?.release();
}
