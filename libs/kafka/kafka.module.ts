import { DynamicModule, Module } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { Logger } from 'pino';
import { AppConfig } from '@odoo-stream/config';
import { createKafkaClient } from './kafka-client';

export const KAFKA = Symbol('KAFKA');

/** Provides the app's kafkajs client (token KAFKA); producers and consumers are made from it. */
@Module({})
export class KafkaModule {
  static forApp(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: KafkaModule,
      global: true,
      providers: [
        { provide: KAFKA, useValue: createKafkaClient(config, { logger }) satisfies Kafka },
      ],
      exports: [KAFKA],
    };
  }
}
