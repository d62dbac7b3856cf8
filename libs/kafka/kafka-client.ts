import { Kafka, logLevel, LogEntry, Partitioners, SASLOptions } from 'kafkajs';
import { Logger } from 'pino';
import { AppConfig, brokerAddresses } from '@odoo-stream/config';
import { kafkaLevel } from '@odoo-stream/observability';

const PINO_LEVEL: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** kafkajs writes through the app's pino logger, so its lines are JSON with the app name. */
export function kafkaLogCreator(logger: Logger) {
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, ...rest } = log;
      kafkaLogger[kafkaLevel(PINO_LEVEL[level] ?? 'info', message, rest.error)](rest, message);
    };
}

export interface KafkaClientOptions {
  logger?: Logger;
  /** Retries for a request before kafkajs gives up (default: kafkajs's own, 5). */
  retries?: number;
}

export function createKafkaClient(
  config: Pick<AppConfig, 'kafka'>,
  options: KafkaClientOptions = {},
) {
  const { tls, sasl } = config.kafka;
  return new Kafka({
    clientId: config.kafka.clientId,
    brokers: brokerAddresses(config),
    ssl: tls,
    sasl: sasl as SASLOptions | undefined,
    connectionTimeout: 3000,
    requestTimeout: 30000,
    logLevel: options.logger ? logLevel.WARN : logLevel.NOTHING,
    logCreator: options.logger ? kafkaLogCreator(options.logger) : undefined,
    retry: options.retries === undefined ? undefined : { retries: options.retries },
  });
}

/**
 * The producer odoo-stream writes with: idempotent, one request in flight (order kept per
 * partition across retries), and Kafka's own key partitioner (murmur2, as the Java client), so
 * that every tool agrees on which partition holds a record.
 */
export function createOrderedProducer(kafka: Kafka) {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}
