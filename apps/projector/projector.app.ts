import { AppDefinition } from '@odoo-stream/runtime';
import { ProjectorModule } from './projector.module';

/** Builds the feed, sync-state and delivery-log tables from the Kafka topics, one consumer group each. */
export const projectorApp: AppDefinition = {
  name: 'projector',
  http: false,
  module: (config, logger) => ProjectorModule.forRoot(config, logger),
};
