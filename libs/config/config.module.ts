import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AppConfig } from './app-config';

/**
 * Makes the validated AppConfig available through @nestjs/config's ConfigService
 * (`config.get('kafka', { infer: true })`). Validation happens before Nest starts,
 * in loadConfig, so a bad variable gives one clear line instead of a stack trace.
 */
@Module({})
export class AppConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppConfigModule,
      imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => config] })],
      exports: [ConfigModule],
      global: true,
    };
  }
}
