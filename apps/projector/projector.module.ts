import { DynamicModule, Module } from '@nestjs/common';
import { Logger } from 'pino';
import { AppConfig } from '@odoo-stream/config';
import { DatabaseModule } from '@odoo-stream/db';
import { AppCoreModule } from '@odoo-stream/runtime';
import { SchemaRegistryModule } from '@odoo-stream/schema-registry';
import { ProjectorService } from './projector.service';

@Module({})
export class ProjectorModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: ProjectorModule,
      imports: [
        AppCoreModule.forApp(config, logger),
        DatabaseModule.forUrl(config.databaseUrl as string),
        SchemaRegistryModule.forApp(config, { boot: 'reader' }),
      ],
      providers: [ProjectorService],
    };
  }
}
