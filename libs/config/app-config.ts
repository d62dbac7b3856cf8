export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type AppName = 'api' | 'capture' | 'projector' | 'dispatcher';

export interface KafkaBroker {
  host: string;
  port: number;
}

/** The validated configuration every app receives; nothing else reads process.env. */
export interface AppConfig {
  kafka: { brokers: KafkaBroker[]; clientId: string };
  /** The service's own database (projections). */
  databaseUrl?: string;
  /** The Odoo database that capture reads. */
  odooDatabaseUrl?: string;
  topicPrefix: string;
  apiPort: number;
  logLevel: LogLevel;
}

export function brokerAddresses(config: Pick<AppConfig, 'kafka'>): string[] {
  return config.kafka.brokers.map((b) => `${b.host}:${b.port}`);
}
