import { INestApplicationContext } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { loadConfig } from '@odoo-stream/config';
import { freePort } from '@odoo-stream/local-infra';
import { createLogger } from '@odoo-stream/observability';
import { preflight, startApp } from '@odoo-stream/runtime';
import { apiApp } from '../apps/api/api.app';
import { createTestDatabase, testKafkaBrokers } from './support/test-stack';

async function startApi(env: Record<string, string>): Promise<NestExpressApplication> {
  const config = loadConfig({ API_PORT: String(await freePort()), LOG_LEVEL: 'warn', ...env }, [
    'api',
  ]);
  const logger = createLogger('api', config.logLevel);
  return (await startApp(apiApp, config, logger)) as NestExpressApplication;
}

describe('api health, readiness and metrics', () => {
  let databaseUrl: string;
  const started: INestApplicationContext[] = [];

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('health');
    const config = loadConfig({ KAFKA_BROKERS: testKafkaBrokers(), DATABASE_URL: databaseUrl }, [
      'api',
    ]);
    await preflight(config, ['api'], createLogger('api', 'warn'));
  });

  afterAll(async () => {
    for (const app of started) await app.close();
  });

  it('is live, and ready when Kafka and the database answer', async () => {
    const app = await startApi({ KAFKA_BROKERS: testKafkaBrokers(), DATABASE_URL: databaseUrl });
    started.push(app);
    await request(app.getHttpServer())
      .get('/health')
      .expect(200)
      .expect(({ body }) => expect(body.status).toBe('ok'));
    const ready = await request(app.getHttpServer()).get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({
      status: 'ok',
      info: { kafka: { status: 'up', brokers: 1 }, database: { status: 'up' } },
    });
  });

  it('answers 503 naming Kafka when the broker is gone, while liveness stays 200', async () => {
    const app = await startApi({
      KAFKA_BROKERS: `127.0.0.1:${await freePort()}`,
      DATABASE_URL: databaseUrl,
    });
    started.push(app);
    await request(app.getHttpServer()).get('/health').expect(200);
    const ready = await request(app.getHttpServer()).get('/health/ready').expect(503);
    expect(ready.body.status).toBe('error');
    expect(ready.body.error.kafka).toMatchObject({
      status: 'down',
      message: expect.stringMatching(/^Kafka is not reachable/),
    });
    expect(ready.body.info.database).toMatchObject({ status: 'up' });
  });

  it('serves Prometheus metrics and the OpenAPI document', async () => {
    const app = await startApi({ KAFKA_BROKERS: testKafkaBrokers(), DATABASE_URL: databaseUrl });
    started.push(app);
    const metrics = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain;.*version=0\.0\.4/);
    expect(metrics.text).toMatch(
      /^odoo_stream_process_cpu_user_seconds_total\{service="odoo-stream"\} \d/m,
    );
    const openapi = await request(app.getHttpServer()).get('/api/docs/openapi.json').expect(200);
    expect(Object.keys(openapi.body.paths)).toEqual(
      expect.arrayContaining(['/health', '/health/ready', '/metrics']),
    );
  });
});
