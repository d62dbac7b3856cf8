export * from './demo/demo-database';
export * from './demo/demo-traffic';
