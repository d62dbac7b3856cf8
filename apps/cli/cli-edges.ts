import { userInfo } from 'node:os';
import { Kafka } from 'kafkajs';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { AppConfig } from '@odoo-stream/config';
import { dataSourceOptions } from '@odoo-stream/db';
import { internalTopic } from '@odoo-stream/events';
import { createKafkaClient } from '@odoo-stream/kafka';
import {
  ConfluentSchemaRegistry,
  KafkaSchemaStore,
  SchemaRegistry,
} from '@odoo-stream/schema-registry';
import { OpenedOperations, openIncidentOperations } from '../replay/open-incident-operations';

/**
 * The registry the apps use: Confluent's at SCHEMA_REGISTRY_URL, or odoo-stream's topic, read
 * (the commands decode events; they register nothing, so no producer is opened).
 */
export async function startRegistry(config: AppConfig, kafka: Kafka): Promise<SchemaRegistry> {
  const registry: SchemaRegistry = config.schemaRegistryUrl
    ? new ConfluentSchemaRegistry(config.schemaRegistryUrl)
    : new KafkaSchemaStore(kafka, internalTopic(config.topicPrefix, 'schemas'));
  if (registry instanceof KafkaSchemaStore) await registry.refresh();
  return registry;
}

/** Who runs the command: the operating-system user, recorded with every replay and rebuild. */
export function osUser(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli:unknown';
  }
}

/**
 * The command line's connections for the incident commands, opened as the apps open them and
 * closed by `close`. Logs go to stderr at warn, so stdout stays the command's answer.
 */
export async function openOperations(
  config: AppConfig,
  { projections = false } = {},
): Promise<OpenedOperations> {
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2));
  const kafka = createKafkaClient(config, { retries: 2 });
  const dataSource = config.databaseUrl
    ? await new DataSource(dataSourceOptions(config.databaseUrl)).initialize()
    : undefined;
  // Only a rebuild decodes events: the registry is opened for it alone.
  const registry = projections ? await startRegistry(config, kafka) : undefined;
  const opened = await openIncidentOperations({ config, kafka, logger, dataSource, registry });
  return {
    operations: opened.operations,
    async close() {
      await opened.close();
      if (registry instanceof KafkaSchemaStore) await registry.stop();
      await dataSource?.destroy();
    },
  };
}
