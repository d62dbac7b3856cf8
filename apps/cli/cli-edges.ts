import { userInfo } from 'node:os';
import { Kafka } from 'kafkajs';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { AppConfig } from '@odoo-stream/config';
import { dataSourceOptions } from '@odoo-stream/db';
import { internalTopic } from '@odoo-stream/events';
import { ControlChannel, createKafkaClient } from '@odoo-stream/kafka';
import { OdooRecordNames } from '@odoo-stream/odoo';
import {
  ConfluentSchemaRegistry,
  KafkaSchemaStore,
  SchemaRegistry,
} from '@odoo-stream/schema-registry';
import { Pool } from 'pg';
import { buildProjections } from '../projector/projector.service';
import { IncidentOperations } from '../replay/incident-operations';

/** The registry the apps use: Confluent's at SCHEMA_REGISTRY_URL, or odoo-stream's topic. */
export async function startRegistry(config: AppConfig, kafka: Kafka): Promise<SchemaRegistry> {
  const registry: SchemaRegistry = config.schemaRegistryUrl
    ? new ConfluentSchemaRegistry(config.schemaRegistryUrl)
    : new KafkaSchemaStore(kafka, internalTopic(config.topicPrefix, 'schemas'));
  if (registry instanceof KafkaSchemaStore) await registry.start();
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
): Promise<{
  operations: IncidentOperations;
  close(): Promise<void>;
}> {
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2));
  const kafka = createKafkaClient(config, { retries: 2 });
  const admin = kafka.admin();
  await admin.connect();
  const dataSource = config.databaseUrl
    ? await new DataSource(dataSourceOptions(config.databaseUrl)).initialize()
    : undefined;
  const control = new ControlChannel(
    kafka,
    config.topicPrefix,
    logger,
    config.capture.topicReplication,
  );
  await control.start();
  let registry: SchemaRegistry | undefined;
  let names: OdooRecordNames | undefined;
  const closing: Array<() => Promise<unknown>> = [];
  const operations = new IncidentOperations({
    kafka,
    admin,
    prefix: config.topicPrefix,
    control,
    logger,
    dataSource,
    projections: () => {
      if (!registry) throw new Error('the schema registry is not started');
      return buildProjections(config, registry, names);
    },
  });
  // Only a rebuild decodes events: the registry and Odoo's names are opened for it alone.
  if (projections) registry = await startRegistry(config, kafka);
  if (projections && config.odooDatabaseUrl) {
    names = new OdooRecordNames(
      new Pool({ connectionString: config.odooDatabaseUrl, max: 2 }),
      logger,
    );
    closing.push(() => (names as OdooRecordNames).close());
  }
  return {
    operations,
    async close() {
      await operations.close();
      for (const close of closing) await close().catch(() => undefined);
      if (registry instanceof KafkaSchemaStore) await registry.stop();
      await control.stop();
      await admin.disconnect();
      await dataSource?.destroy();
    },
  };
}
