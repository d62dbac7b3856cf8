import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { Logger } from 'pino';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@odoo-stream/config';
import { ControlChannel, KAFKA } from '@odoo-stream/kafka';
import { OdooRecordNames } from '@odoo-stream/odoo';
import { APP_LOGGER } from '@odoo-stream/runtime';
import { SCHEMA_REGISTRY, SchemaRegistry } from '@odoo-stream/schema-registry';
import { buildProjections } from '../../projector/projector.service';
import { IncidentOperations } from '../../replay/incident-operations';

/**
 * The incident operations for the API, connected on first use (the api starts, and serves
 * everything else, while Kafka is away) and closed with the app.
 */
@Injectable()
export class ApiIncidentOperations implements OnModuleDestroy {
  private opening?: Promise<{ operations: IncidentOperations; close(): Promise<void> }>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(SCHEMA_REGISTRY) private readonly registry: SchemaRegistry,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    private readonly dataSource: DataSource,
  ) {}

  async get(): Promise<IncidentOperations> {
    this.opening ??= this.open();
    this.opening.catch(() => (this.opening = undefined));
    return (await this.opening).operations;
  }

  private async open() {
    const { config, kafka, logger } = this;
    const admin = kafka.admin();
    await admin.connect();
    const control = new ControlChannel(
      kafka,
      config.topicPrefix,
      logger,
      config.capture.topicReplication,
    );
    try {
      await control.start();
    } catch (error) {
      await admin.disconnect();
      throw error;
    }
    let names: OdooRecordNames | undefined;
    const operations = new IncidentOperations({
      kafka,
      admin,
      prefix: config.topicPrefix,
      control,
      logger,
      dataSource: this.dataSource,
      projections: () => {
        if (!names && config.odooDatabaseUrl) {
          names = new OdooRecordNames(
            new Pool({ connectionString: config.odooDatabaseUrl, max: 2 }),
            logger,
          );
        }
        return buildProjections(config, this.registry, names);
      },
    });
    return {
      operations,
      async close() {
        await operations.close();
        await names?.close();
        await control.stop();
        await admin.disconnect();
      },
    };
  }

  async onModuleDestroy(): Promise<void> {
    const opened = await this.opening?.catch(() => undefined);
    await opened?.close();
  }
}
