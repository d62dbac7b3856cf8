import {
  DynamicModule,
  Inject,
  Injectable,
  Module,
  OnModuleDestroy,
  OnModuleInit,
} from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { AppConfig } from '@odoo-stream/config';
import { internalTopic } from '@odoo-stream/events';
import { KAFKA } from '@odoo-stream/kafka';
import { ConfluentSchemaRegistry } from './confluent-schema-registry';
import { KafkaSchemaStore } from './kafka-schema-store';
import { SchemaRegistry } from './schema-registry';

export const SCHEMA_REGISTRY = Symbol('SCHEMA_REGISTRY');

const START_AT_BOOT = Symbol('START_AT_BOOT');

/**
 * Starts and stops odoo-stream's own store with the app. An app that only serves schemas (the api)
 * reads the topic when asked, so it starts, and reports readiness, while Kafka is away.
 */
@Injectable()
class SchemaStoreLifecycle implements OnModuleInit, OnModuleDestroy {
  constructor(
    @Inject(SCHEMA_REGISTRY) private readonly registry: SchemaRegistry,
    @Inject(START_AT_BOOT) private readonly startAtBoot: boolean,
  ) {}

  async onModuleInit() {
    if (this.startAtBoot && this.registry instanceof KafkaSchemaStore) await this.registry.start();
  }

  async onModuleDestroy() {
    if (this.registry instanceof KafkaSchemaStore) await this.registry.stop();
  }
}

/**
 * SCHEMA_REGISTRY: the external registry at SCHEMA_REGISTRY_URL when set, else odoo-stream's own
 * store on the `<prefix>.stream.schemas` topic (which the api serves with Confluent's REST API).
 */
@Module({})
export class SchemaRegistryModule {
  static forApp(config: AppConfig, options: { startAtBoot: boolean }): DynamicModule {
    return {
      module: SchemaRegistryModule,
      providers: [
        { provide: START_AT_BOOT, useValue: options.startAtBoot },
        {
          provide: SCHEMA_REGISTRY,
          inject: [KAFKA],
          useFactory: (kafka: Kafka): SchemaRegistry =>
            config.schemaRegistryUrl
              ? new ConfluentSchemaRegistry(config.schemaRegistryUrl)
              : new KafkaSchemaStore(kafka, internalTopic(config.topicPrefix, 'schemas')),
        },
        SchemaStoreLifecycle,
      ],
      exports: [SCHEMA_REGISTRY],
    };
  }
}
