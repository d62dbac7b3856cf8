export * from './demo/demo-database';
export * from './demo/demo-traffic';
export * from './odoo-record-names';
export * from './addon-payload';
export * from './addon-payloads';
export * from './display-name-rules';
