export * from './delivery/retry-schedule';
export * from './delivery/webhook-signer';
export * from './endpoint/endpoint-guard';
export * from './filter/odoo-domain';
export * from './payload/payload-shaper';
export * from './subscriptions/subscription-rule';
export * from './delivery/webhook-sender';
