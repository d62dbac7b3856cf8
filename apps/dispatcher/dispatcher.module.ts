import { DynamicModule, Module } from '@nestjs/common';
import { Logger } from 'pino';
import { AppConfig } from '@odoo-stream/config';
import { DatabaseModule } from '@odoo-stream/db';
import { AppCoreModule } from '@odoo-stream/runtime';
import { SchemaRegistryModule } from '@odoo-stream/schema-registry';
import { DispatcherService } from './dispatcher.service';
import { TelegramService } from './telegram/telegram.service';

@Module({})
export class DispatcherModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: DispatcherModule,
      imports: [
        AppCoreModule.forApp(config, logger),
        DatabaseModule.forUrl(config.databaseUrl as string),
        SchemaRegistryModule.forApp(config, { boot: 'reader' }),
      ],
      providers: [DispatcherService, TelegramService],
    };
  }
}
