import pino, { Logger } from 'pino';
import { LogLevel } from '@odoo-stream/config';

/** Structured JSON logs; every line carries the app that wrote it. */
export function createLogger(app: string, level: LogLevel = 'info'): Logger {
  return pino({ level, base: { app }, timestamp: pino.stdTimeFunctions.isoTime });
}
