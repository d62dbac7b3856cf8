export * from './conversation';
export * from './telegram-events';
export * from './telegram-texts';
export * from './verification-code';
export * from './order-notification';
export * from './bot-api';
