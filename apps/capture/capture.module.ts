import { DynamicModule, Module } from '@nestjs/common';
import { Logger } from 'pino';
import { AppConfig } from '@odoo-stream/config';
import { AppCoreModule } from '@odoo-stream/runtime';
import { SchemaRegistryModule } from '@odoo-stream/schema-registry';
import { CaptureService } from './capture.service';

@Module({})
export class CaptureModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: CaptureModule,
      imports: [
        AppCoreModule.forApp(config, logger),
        SchemaRegistryModule.forApp(config, { boot: 'writer' }),
      ],
      providers: [CaptureService],
    };
  }
}
