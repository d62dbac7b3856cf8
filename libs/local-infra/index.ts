export * from './free-port';
export * from './local-kafka';
export * from './local-postgres';
export * from './local-stack';
export * from './child-process';
export * from './home-lock';
export * from './database-dump';
