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

const BOOT = Symbol('SCHEMA_STORE_BOOT');

/**
 * How an app uses odoo-stream's own store from its start: `writer` (capture) connects its producer
 * and reads the topic, so a broker that refuses its writes stops the start; `reader` (projector,
 * dispatcher) only reads the topic, and never opens a producer; `on-demand` (the api, which
 * serves schemas) reads the topic when asked, so it starts, and reports readiness, while Kafka is
 * away.
 */
export type SchemaStoreBoot = 'writer' | 'reader' | 'on-demand';

/** Starts and stops odoo-stream's own store with the app. */
@Injectable()
class SchemaStoreLifecycle implements OnModuleInit, OnModuleDestroy {
  constructor(
    @Inject(SCHEMA_REGISTRY) private readonly registry: SchemaRegistry,
    @Inject(BOOT) private readonly boot: SchemaStoreBoot,
  ) {}

  async onModuleInit() {
    if (!(this.registry instanceof KafkaSchemaStore)) return;
    if (this.boot === 'writer') await this.registry.start();
    else if (this.boot === 'reader') await this.registry.refresh();
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
  static forApp(config: AppConfig, options: { boot: SchemaStoreBoot }): DynamicModule {
    return {
      module: SchemaRegistryModule,
      providers: [
        { provide: BOOT, useValue: options.boot },
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
