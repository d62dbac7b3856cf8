export * from './kafka-client';
export * from './kafka-probe';
export * from './kafka.module';
export * from './topic-admin';
export * from './compacted-topic';
export * from './retry';
export * from './stream-topics';
