import { Kafka } from 'kafkajs';
import { Logger } from 'pino';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '@odoo-stream/config';
import { ControlChannel } from '@odoo-stream/kafka';
import { OdooRecordNames } from '@odoo-stream/odoo';
import { SchemaRegistry } from '@odoo-stream/schema-registry';
import { buildProjections } from '../projector/projector.service';
import { IncidentOperations } from './incident-operations';

export interface OpenedOperations {
  operations: IncidentOperations;
  close(): Promise<void>;
}

/**
 * The incident operations connected as the apps connect (admin client, control channel), for the
 * command line and the api alike. With a registry, rebuilds decode as the projector does (Odoo's
 * names from ODOO_DATABASE_URL, opened on the first rebuild).
 */
export async function openIncidentOperations(edges: {
  config: AppConfig;
  kafka: Kafka;
  logger: Logger;
  dataSource?: DataSource;
  registry?: SchemaRegistry;
}): Promise<OpenedOperations> {
  const { config, kafka, logger, dataSource, registry } = edges;
  const admin = kafka.admin();
  await admin.connect();
  const control = new ControlChannel(
    kafka,
    config.topicPrefix,
    logger,
    config.capture.topicReplication,
  );
  try {
    await control.start();
  } catch (error) {
    await admin.disconnect();
    throw error;
  }
  let names: OdooRecordNames | undefined;
  const operations = new IncidentOperations({
    kafka,
    admin,
    prefix: config.topicPrefix,
    control,
    logger,
    dataSource,
    projections: () => {
      if (!registry) throw new Error('rebuilds need the schema registry');
      if (!names && config.odooDatabaseUrl) {
        names = new OdooRecordNames(
          new Pool({ connectionString: config.odooDatabaseUrl, max: 2 }),
          logger,
        );
      }
      return buildProjections(config, registry, names);
    },
  });
  return {
    operations,
    async close() {
      await operations.close();
      await names?.close();
      await control.stop();
      await admin.disconnect();
    },
  };
}
