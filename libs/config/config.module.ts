import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AppConfig } from './app-config';

/** The whole validated configuration, for classes that take it as one value object. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * Makes the validated AppConfig available, whole (`@Inject(APP_CONFIG)`) and through
 * @nestjs/config's ConfigService (`config.get('kafka', { infer: true })`). Validation happens
 * before Nest starts, in loadConfig, so a bad variable gives one clear line instead of a stack trace.
 */
@Module({})
export class AppConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    const whole = { provide: APP_CONFIG, useValue: config };
    return {
      module: AppConfigModule,
      imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => config] })],
      providers: [whole],
      exports: [ConfigModule, whole],
      global: true,
    };
  }
}
