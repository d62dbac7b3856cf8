export * from './topic-names';
