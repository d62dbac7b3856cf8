import pino, { Logger } from 'pino';
import { LogLevel } from '@odoo-stream/config';
import { REDACTED, REDACTED_PATHS } from './redaction';

/**
 * Structured JSON logs; every line carries the app that wrote it, and no line carries a
 * credential (API keys, authorization headers, cookies, subscriber secrets are redacted).
 */
export function createLogger(app: string, level: LogLevel = 'info'): Logger {
  return pino({
    level,
    base: { app },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: REDACTED },
  });
}
