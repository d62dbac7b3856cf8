import { DynamicModule } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'pino';
import { AppConfig, AppName } from '@odoo-stream/config';

/** What the runner needs to know of an app: its name, its root module, whether it serves HTTP. */
export interface AppDefinition {
  name: AppName;
  module(config: AppConfig, logger: Logger): DynamicModule;
  http: boolean;
  /** HTTP apps: what to set up on the server before it listens (OpenAPI, pipes). */
  configureHttp?(app: NestExpressApplication, config: AppConfig): void;
}
