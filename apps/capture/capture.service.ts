import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { Logger } from 'pino';
import { APP_CONFIG, AppConfig } from '@odoo-stream/config';
import { backoffMs, KAFKA } from '@odoo-stream/kafka';
import {
  APP_LOGGER,
  isPermanentError,
  markDegraded,
  markHealthy,
  reportFatal,
} from '@odoo-stream/runtime';
import { KafkaSchemaStore, SCHEMA_REGISTRY, SchemaRegistry } from '@odoo-stream/schema-registry';
import { CaptureCoordinator } from './capture-coordinator';

/** A run that lasted this long starts the backoff over. */
const STABLE_RUN_MS = 60_000;

/**
 * Runs the capture coordinator for the app's lifetime. A retriable failure (the broker
 * restarting, leadership moving, the database connection lost) starts capture again from the
 * slot's confirmed position, backing off, for as long as it takes; only a permanent one
 * (credentials, configuration, a configured limit) stops the process.
 */
@Injectable()
export class CaptureService implements OnApplicationBootstrap, OnApplicationShutdown {
  private coordinator: CaptureCoordinator;
  private running?: Promise<void>;
  private stopping = false;
  private wake?: () => void;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(SCHEMA_REGISTRY) private readonly registry: SchemaRegistry,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {
    this.coordinator = this.newCoordinator();
  }

  /** Checks and prepares before the app reports ready; snapshot and streaming go on after. */
  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.coordinator.prepare();
    } catch (error) {
      // Nest calls no shutdown hook after a failed start: close what capture opened, for a
      // process that goes on without it (npm start reports the failure, the tests start again).
      await this.coordinator.stop(0).catch(() => undefined);
      if (this.registry instanceof KafkaSchemaStore)
        await this.registry.stop().catch(() => undefined);
      throw error;
    }
    this.running = this.supervise();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.coordinator.stop();
    await this.running;
  }

  private newCoordinator(): CaptureCoordinator {
    return new CaptureCoordinator(this.config, this.kafka, this.registry, this.logger);
  }

  private async supervise(): Promise<void> {
    let failures = 0;
    let prepared = true;
    while (!this.stopping) {
      const startedAt = Date.now();
      try {
        if (!prepared) await this.coordinator.prepare();
        prepared = true;
        markHealthy('capture');
        await this.coordinator.run();
        return;
      } catch (error) {
        if (this.stopping) return;
        const message = (error as Error).message;
        if (isPermanentError(error)) {
          this.logger.error({ err: error }, `capture stopped: ${message}`);
          reportFatal('capture', error as Error);
          return;
        }
        if (Date.now() - startedAt > STABLE_RUN_MS) failures = 0;
        const delay = backoffMs(failures++, 500, 30_000);
        markDegraded('capture', message);
        this.logger.warn(
          { err: error, retry_in_ms: delay, failures },
          `capture interrupted: ${message}; starting again from the slot's confirmed position in ${delay} ms`,
        );
        // The failed run's unacknowledged events come again from the slot: no flush to wait on.
        await this.coordinator.stop(0).catch(() => undefined);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.wake = () => (clearTimeout(timer), resolve());
        });
        this.coordinator = this.newCoordinator();
        prepared = false;
      }
    }
  }
}
