import { DynamicModule, Module } from '@nestjs/common';
import { Logger } from 'pino';
import { AppConfig, AppConfigModule } from '@odoo-stream/config';
import { KafkaModule } from '@odoo-stream/kafka';

/**
 * The app's pino logger. App code logs through it rather than Nest's Logger class, whose
 * instances share one process-wide sink: with several apps in one process (npm start) only an
 * injected logger keeps the right `app` on every line.
 */
export const APP_LOGGER = Symbol('APP_LOGGER');

/** What every app has: its validated configuration, its logger and its Kafka client. */
@Module({})
export class AppCoreModule {
  static forApp(config: AppConfig, logger: Logger): DynamicModule {
    const imports = [AppConfigModule.forRoot(config), KafkaModule.forApp(config, logger)];
    const loggerProvider = { provide: APP_LOGGER, useValue: logger };
    return {
      module: AppCoreModule,
      imports,
      providers: [loggerProvider],
      exports: [...imports, loggerProvider],
    };
  }
}
