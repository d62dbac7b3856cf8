import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { Logger } from 'pino';
import { AppConfig } from '@odoo-stream/config';
import { DatabaseModule } from '@odoo-stream/db';
import { HttpLoggingModule } from '@odoo-stream/observability';
import { AppCoreModule } from '@odoo-stream/runtime';
import { SchemaRegistryModule } from '@odoo-stream/schema-registry';
import { HealthController } from './health/health.controller';
import { KafkaHealthIndicator } from './health/kafka.health';
import { MetricsController } from './metrics/metrics.controller';
import { SchemaRegistryController } from './schema-registry/schema-registry.controller';

@Module({})
export class ApiModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        AppCoreModule.forApp(config, logger),
        HttpLoggingModule.forApp(logger),
        DatabaseModule.forUrl(config.databaseUrl as string),
        TerminusModule.forRoot({ logger: false }),
        SchemaRegistryModule.forApp(config, { startAtBoot: false }),
      ],
      controllers: [
        HealthController,
        MetricsController,
        // With an external registry configured, that registry serves schemas, not the api.
        ...(config.schemaRegistryUrl ? [] : [SchemaRegistryController]),
      ],
      providers: [KafkaHealthIndicator],
    };
  }
}
