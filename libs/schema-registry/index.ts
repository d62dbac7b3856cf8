export * from './confluent-schema-registry';
export * from './kafka-schema-store';
export * from './schema-catalog';
export * from './schema-id';
export * from './schema-registry';
export * from './schema-registry.module';
export * from './confluent-decoder';
export * from './model-event-decoder';
