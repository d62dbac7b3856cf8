export * from './data-source-options';
export * from './database-probe';
export * from './database.module';
export * from './entities/update-webhook.entity';
export * from './migrate';
export * from './entities/user-sync-state.entity';
export * from './schema/projection-tables';
export * from './webhook-subscribers';
