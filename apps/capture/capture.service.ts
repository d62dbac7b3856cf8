import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { Logger } from 'pino';
import { APP_CONFIG, AppConfig } from '@odoo-stream/config';
import { KAFKA } from '@odoo-stream/kafka';
import { APP_LOGGER, reportFatal } from '@odoo-stream/runtime';
import { SCHEMA_REGISTRY, SchemaRegistry } from '@odoo-stream/schema-registry';
import { CaptureCoordinator } from './capture-coordinator';

/** Runs the capture coordinator for the app's lifetime. */
@Injectable()
export class CaptureService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly coordinator: CaptureCoordinator;
  private running?: Promise<void>;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(KAFKA) kafka: Kafka,
    @Inject(SCHEMA_REGISTRY) registry: SchemaRegistry,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {
    this.coordinator = new CaptureCoordinator(config, kafka, registry, logger);
  }

  /** Checks and prepares before the app reports ready; snapshot and streaming go on after. */
  async onApplicationBootstrap(): Promise<void> {
    await this.coordinator.prepare();
    this.running = this.coordinator.run().catch((error: Error) => {
      this.logger.error({ err: error }, `capture stopped: ${error.message}`);
      reportFatal('capture', error);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.coordinator.stop();
    await this.running;
  }
}
