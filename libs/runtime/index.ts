export * from './app-definition';
export * from './app-runner';
export * from './preflight';
export * from './app-core.module';
export * from './fatal';
export * from './component-status';
export * from './error-kinds';
