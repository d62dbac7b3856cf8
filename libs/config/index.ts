export * from './app-config';
export * from './environment';
export * from './config.module';
export * from './checkout';
export * from './feed-defaults';
export * from './kafka-security';
