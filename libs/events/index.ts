export * from './avro/column-types';
export * from './avro/model-schema';
export * from './change-event';
export * from './event-id';
export * from './topic-names';
export * from './wire-format';
export * from './avro/json-values';
export * from './acknowledgements';
