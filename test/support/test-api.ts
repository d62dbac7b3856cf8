import { INestApplicationContext } from '@nestjs/common';
import { AppConfig, loadConfig } from '@odoo-stream/config';
import { freePort } from '@odoo-stream/local-infra';
import { createLogger } from '@odoo-stream/observability';
import { preflight, startApp } from '@odoo-stream/runtime';
import { apiApp } from '../../apps/api/api.app';
import { newApiKey } from '../../apps/api/auth/api-keys';
import { createTestDatabase, testKafkaBrokers } from './test-stack';

/**
 * The api on a free port with a database of its own, serving the topics of `prefix`; `adminKey`
 * registers schemas (as `https://<name>:<adminKey>@...` in a SCHEMA_REGISTRY_URL).
 */
export async function startTestApi(
  prefix: string,
): Promise<{ api: INestApplicationContext; config: AppConfig; url: string; adminKey: string }> {
  const admin = newApiKey('registry');
  const config = loadConfig(
    {
      KAFKA_BROKERS: testKafkaBrokers(),
      DATABASE_URL: await createTestDatabase('api'),
      TOPIC_PREFIX: prefix,
      API_PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
      ADMIN_API_KEYS: admin.entry,
    },
    ['api'],
  );
  await preflight(config, ['api'], createLogger('api', 'warn'));
  const api = await startApp(apiApp, config, createLogger('api', 'warn'));
  return { api, config, url: `http://127.0.0.1:${config.apiPort}`, adminKey: admin.key };
}
