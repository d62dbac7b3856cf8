import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@odoo-stream/config';
import { KAFKA } from '@odoo-stream/kafka';
import { APP_LOGGER } from '@odoo-stream/runtime';
import { SCHEMA_REGISTRY, SchemaRegistry } from '@odoo-stream/schema-registry';
import { IncidentOperations } from '../../replay/incident-operations';
import { OpenedOperations, openIncidentOperations } from '../../replay/open-incident-operations';

/**
 * The incident operations for the API, connected on first use (the api starts, and serves
 * everything else, while Kafka is away) and closed with the app.
 */
@Injectable()
export class ApiIncidentOperations implements OnModuleDestroy {
  private opening?: Promise<OpenedOperations>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(SCHEMA_REGISTRY) private readonly registry: SchemaRegistry,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    private readonly dataSource: DataSource,
  ) {}

  async get(): Promise<IncidentOperations> {
    this.opening ??= openIncidentOperations({
      config: this.config,
      kafka: this.kafka,
      logger: this.logger,
      dataSource: this.dataSource,
      registry: this.registry,
    });
    this.opening.catch(() => (this.opening = undefined));
    return (await this.opening).operations;
  }

  async onModuleDestroy(): Promise<void> {
    const opened = await this.opening?.catch(() => undefined);
    await opened?.close();
  }
}
