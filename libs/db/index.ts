export * from './data-source-options';
export * from './database-probe';
export * from './database.module';
export * from './migrate';
export * from './schema/projection-tables';
export * from './webhook-subscribers';
export * from './feed-ids';
