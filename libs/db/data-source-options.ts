import { DataSourceOptions } from 'typeorm';
import { CreateUpdateWebhook1763800000000 } from './migrations/1763800000000-create-update-webhook';
import { CreateProjectionState1763900000000 } from './migrations/1763900000000-create-projection-state';
import { CreateWebhookDelivery1764000000000 } from './migrations/1764000000000-create-webhook-delivery';
import { KeepFeedIdsAndRotation1764100000000 } from './migrations/1764100000000-keep-feed-ids-and-rotation';
import { DeviceIdsAsTheAddon1764200000000 } from './migrations/1764200000000-device-ids-as-the-addon';
import { DeliveryNumbers1764300000000 } from './migrations/1764300000000-delivery-numbers';
import { ReplayedDeliveries1764400000000 } from './migrations/1764400000000-replayed-deliveries';
import { Telegram1764500000000 } from './migrations/1764500000000-telegram';
import { Dashboard1764600000000 } from './migrations/1764600000000-dashboard';

export const MIGRATIONS = [
  CreateUpdateWebhook1763800000000,
  CreateProjectionState1763900000000,
  CreateWebhookDelivery1764000000000,
  KeepFeedIdsAndRotation1764100000000,
  DeviceIdsAsTheAddon1764200000000,
  DeliveryNumbers1764300000000,
  ReplayedDeliveries1764400000000,
  Telegram1764500000000,
  Dashboard1764600000000,
];

export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    // Every table is read and written with SQL (projections upsert in bulk); the shapes live in
    // the migrations and schema/projection-tables.ts.
    entities: [],
    migrations: MIGRATIONS,
    migrationsTableName: 'odoo_stream_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    connectTimeoutMS: 5000,
  };
}
