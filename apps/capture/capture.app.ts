import { AppDefinition } from '@odoo-stream/runtime';
import { CaptureModule } from './capture.module';

/** Reads the Odoo database's write-ahead log and produces one event per changed record (issue: capture). */
export const captureApp: AppDefinition = {
  name: 'capture',
  http: false,
  module: (config, logger) => CaptureModule.forRoot(config, logger),
};
