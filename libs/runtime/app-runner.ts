import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'pino';
import { AppConfig, AppName, ConfigError, loadConfig } from '@odoo-stream/config';
import { createLogger, PinoNestLogger } from '@odoo-stream/observability';
import { AppDefinition } from './app-definition';
import { onFatal } from './fatal';
import { preflight, StartupError } from './preflight';

/** Creates one app's Nest context (and HTTP server when it has one), logging through pino. */
export async function startApp(
  definition: AppDefinition,
  config: AppConfig,
  logger: Logger,
): Promise<INestApplicationContext> {
  const module = definition.module(config, logger);
  if (definition.http) {
    const app = await NestFactory.create<NestExpressApplication>(module, {
      logger: new PinoNestLogger(logger),
    });
    definition.configureHttp?.(app, config);
    try {
      await app.listen(config.apiPort, config.apiHost);
    } catch (error) {
      await app.close();
      if ((error as { code?: string }).code === 'EADDRINUSE') {
        throw new StartupError(
          `API_PORT ${config.apiPort} is already in use; set API_PORT to a free port`,
        );
      }
      throw error;
    }
    return app;
  }
  const app = await NestFactory.createApplicationContext(module, {
    logger: new PinoNestLogger(logger),
  });
  await app.init();
  return app;
}

/** Start-up was stopped by a signal: not a failure, the signal's handler finishes the stop. */
export class StartCancelled extends Error {
  override name = 'StartCancelled';
}

/**
 * A Ctrl-C during start-up stops it at the next step instead of starting everything and then
 * stopping: start-up calls check() between its steps.
 */
export class StartCancellation {
  cancelled = false;

  cancel(): void {
    this.cancelled = true;
  }

  check(): void {
    if (this.cancelled) throw new StartCancelled('start-up stopped by a signal');
  }
}

/**
 * Validates configuration, checks dependencies, and reports a failure as one log line and exit
 * code 1; anything else is a bug and keeps its stack trace.
 */
export async function startOrExit<T>(
  logger: Logger,
  start: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await start();
  } catch (error) {
    if (error instanceof StartCancelled) return undefined;
    if (error instanceof ConfigError || error instanceof StartupError) {
      logger.fatal(error.message);
    } else {
      logger.fatal({ err: error }, `start-up failed: ${(error as Error).message}`);
    }
    logger.flush();
    process.exit(1);
  }
}

/** `node dist/apps/<app>/main`: one app alone, configured by the environment. */
export async function runAlone(definition: AppDefinition): Promise<void> {
  const bootLogger = createLogger(definition.name, 'info');
  const release = keepAlive();
  let app: INestApplicationContext | undefined;
  // Handlers first: a signal that arrives while starting stops start-up at its next step.
  let starting: Promise<unknown> = Promise.resolve();
  const cancellation = new StartCancellation();
  const stop = async () => {
    cancellation.cancel();
    await starting.catch(() => undefined);
    await app?.close();
    release();
  };
  stopOnSignal(stop, bootLogger);
  exitOnFatal(stop, bootLogger);
  starting = startOrExit(bootLogger, async () => {
    const config = loadConfig(process.env, [definition.name]);
    const logger = createLogger(definition.name, config.logLevel);
    await preflight(config, [definition.name], logger);
    cancellation.check();
    app = await startApp(definition, config, logger);
    cancellation.check();
    logger.info(definition.http ? `ready on http://${config.apiHost}:${config.apiPort}` : 'ready');
  });
  await starting;
}

/** A fatal error in a running app: log it, stop everything in order, exit 1. */
export function exitOnFatal(stop: () => Promise<void>, logger: Logger): void {
  onFatal((app, error) => {
    logger.fatal({ err: error, failed_app: app }, `${app} failed: ${error.message}; stopping`);
    const exit = () => {
      logger.flush();
      process.exit(1);
    };
    stop().then(exit, exit);
  });
}

/** Worker apps hold no server socket of their own yet; this keeps the process up until a signal. */
export function keepAlive(): () => void {
  const timer = setInterval(() => undefined, 1 << 30);
  return () => clearInterval(timer);
}

/**
 * First SIGINT/SIGTERM: orderly stop (apps, then what was started for them), then exit. A second
 * one only says that stopping goes on; a third exits at once, whatever is left running.
 */
export function stopOnSignal(stop: () => Promise<void>, logger: Logger): void {
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals === 2) {
      logger.warn(
        `${signal} again: still stopping; once more exits at once, leaving whatever is still running`,
      );
      return;
    }
    if (signals > 2) {
      logger.flush();
      process.exit(130);
    }
    logger.info(`${signal} received: stopping`);
    stop().then(
      () => {
        logger.info('stopped');
        logger.flush();
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'stopping failed');
        logger.flush();
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

export type { AppName };
