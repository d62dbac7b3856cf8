export * from './demo/demo-database';
export * from './demo/demo-traffic';
export * from './odoo-record-names';
