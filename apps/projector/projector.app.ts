import { AppDefinition } from '@odoo-stream/runtime';
import { ProjectorModule } from './projector.module';

/** Builds the feed, sync-state, delivery-log, Telegram and event-index tables from the Kafka topics, one consumer group each. */
export const projectorApp: AppDefinition = {
  name: 'projector',
  http: false,
  module: (config, logger) => ProjectorModule.forRoot(config, logger),
};
