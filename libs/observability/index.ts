export * from './logger';
export * from './logging.module';
export * from './metrics';
export * from './pino-nest-logger';
export * from './redaction';
export * from './expected-conditions';
