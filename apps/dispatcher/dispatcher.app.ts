import { AppDefinition } from '@odoo-stream/runtime';
import { DispatcherModule } from './dispatcher.module';

/** Delivers signed webhooks to subscribers, one consumer group each, with scheduled retries. */
export const dispatcherApp: AppDefinition = {
  name: 'dispatcher',
  http: false,
  module: (config, logger) => DispatcherModule.forRoot(config, logger),
};
