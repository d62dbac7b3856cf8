import { DataSourceOptions } from 'typeorm';
import { UpdateWebhookEntity } from './entities/update-webhook.entity';
import { CreateUpdateWebhook1763800000000 } from './migrations/1763800000000-create-update-webhook';

export const ENTITIES = [UpdateWebhookEntity];
export const MIGRATIONS = [CreateUpdateWebhook1763800000000];

export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'odoo_stream_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    connectTimeoutMS: 5000,
  };
}
