import { DEFAULT_TRACKED_MODELS } from './app-config';
import { ConfigError, loadConfig, redactUrl } from './environment';
import {
  DEFAULT_APP_TYPE_MODELS,
  AREA_CATEGORIES,
  categoryOf,
  DEFAULT_MODEL_PRIORITIES,
} from './feed-defaults';

const complete = {
  KAFKA_BROKERS: 'kafka-1:9092, 10.0.0.2:9093',
  DATABASE_URL: 'postgres://stream:secret@db:5432/odoo_stream',
  ODOO_DATABASE_URL: 'postgresql://odoo@odoo-db/odoo',
};

function problemsOf(
  env: Record<string, string | undefined>,
  apps: Parameters<typeof loadConfig>[1],
) {
  try {
    loadConfig(env, apps);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(complete, ['api', 'capture']);
    expect(config).toEqual({
      kafka: {
        clientId: 'odoo-stream',
        brokers: [
          { host: 'kafka-1', port: 9092 },
          { host: '10.0.0.2', port: 9093 },
        ],
      },
      databaseUrl: complete.DATABASE_URL,
      odooDatabaseUrl: complete.ODOO_DATABASE_URL,
      topicPrefix: 'odoo',
      apiPort: 3000,
      apiHost: '127.0.0.1',
      apiCorsOrigins: ['*'],
      logLevel: 'info',
      schemaRegistryUrl: undefined,
      telegram: { apiRoot: 'https://api.telegram.org', publicUrl: undefined },
      capture: {
        trackedModels: DEFAULT_TRACKED_MODELS,
        slot: 'odoo_stream',
        publication: 'odoo_stream',
        replicaIdentityFull: true,
        topicPartitions: 1,
        topicReplication: -1,
        tombstones: true,
        heartbeatMs: 10_000,
        spillAfterRows: 20_000,
        maxTransactionRecords: 10_000_000,
        excludedFields: { 'res.users': ['password', 'totp_secret'] },
      },
      feed: {
        priorities: DEFAULT_MODEL_PRIORITIES,
        categories: {},
        categoriesByArea: false,
        appTypeModels: DEFAULT_APP_TYPE_MODELS,
        includeSnapshot: false,
        archiveAfterDays: 7,
        deleteAfterDays: 30,
        eventIndexDays: 30,
        retentionIntervalMs: 3_600_000,
        ackWaitMs: 5000,
        idsAfter: 0,
      },
      auth: {
        apiKeys: [],
        tokenSecret: undefined,
        rateLimitPerMinute: 600,
        adminKeys: [],
        schemaRegistryAuth: 'writes',
      },
      webhooks: {
        allowPrivateEndpoints: false,
        autoDisableAfterMs: 5 * 86_400_000,
        subscriberRefreshMs: 5000,
        rotationOverlapMs: 86_400_000,
      },
    });
    // The add-on's 13 models and every model a default app type syncs.
    expect(DEFAULT_TRACKED_MODELS).toHaveLength(19);
    for (const models of Object.values(DEFAULT_APP_TYPE_MODELS)) {
      expect(DEFAULT_TRACKED_MODELS).toEqual(expect.arrayContaining(models));
    }
  });

  it('gives area categories with FEED_CATEGORIES=by-area, overrides after it', () => {
    const { feed } = loadConfig(
      { ...complete, FEED_CATEGORIES: 'by-area, mrp.production=manufacturing' },
      ['projector'],
    );
    expect(feed.categories).toEqual({ ...AREA_CATEGORIES, 'mrp.production': 'manufacturing' });
    expect(categoryOf(feed, 'sale.order')).toBe('sales');
    expect(categoryOf(feed, 'mrp.production')).toBe('manufacturing');
    expect(categoryOf(feed, 'fleet.vehicle')).toBe('fleet');
    expect(() => loadConfig({ ...complete, FEED_CATEGORIES: 'by-area,x' }, ['projector'])).toThrow(
      "FEED_CATEGORIES entry 'x' is not model=category",
    );
  });

  it('reads the columns capture leaves out, and refuses an entry that is not model.field', () => {
    const { capture } = loadConfig(
      { ...complete, CAPTURE_EXCLUDED_FIELDS: 'res.partner.vat, x_studio.model.secret_key' },
      ['capture'],
    );
    expect(capture.excludedFields).toEqual({
      'res.partner': ['vat'],
      'x_studio.model': ['secret_key'],
    });
    expect(() =>
      loadConfig({ ...complete, CAPTURE_EXCLUDED_FIELDS: 'password' }, ['capture']),
    ).toThrow(
      "CAPTURE_EXCLUDED_FIELDS entry 'password' is not model.field (for example res.users.password)",
    );
  });

  it('reads the feed, smart sync and key settings', () => {
    const hash = 'ab'.repeat(32);
    const config = loadConfig(
      {
        ...complete,
        FEED_PRIORITIES: 'res.partner=high, mrp.production=low',
        FEED_CATEGORIES: 'mrp.production=manufacturing',
        SYNC_APP_TYPES: '{"field_app":["project.task","res.partner"]}',
        API_KEYS: `bridgecore:${hash},crm:sha256:${hash.toUpperCase()}`,
        API_TOKEN_SECRET: 'x'.repeat(32),
      },
      ['api'],
    );
    expect(config.feed.priorities).toMatchObject({
      'res.partner': 'high',
      'mrp.production': 'low',
      'sale.order': 'high',
    });
    expect(categoryOf(config.feed, 'mrp.production')).toBe('manufacturing');
    // Every other model: what the add-on sends.
    expect(categoryOf(config.feed, 'sale.order')).toBe('business');
    expect(config.feed.appTypeModels).toEqual({ field_app: ['project.task', 'res.partner'] });
    expect(config.auth.apiKeys).toEqual([
      { name: 'bridgecore', sha256: hash },
      { name: 'crm', sha256: hash },
    ]);
  });

  it('names each bad feed, sync or key setting', () => {
    const attempt = () =>
      loadConfig(
        {
          ...complete,
          FEED_PRIORITIES: 'res.partner=urgent',
          SYNC_APP_TYPES: '["sales_app"]',
          API_KEYS: 'bridgecore:not-a-hash',
          API_TOKEN_SECRET: 'short',
          API_ACK_WAIT_MS: '-1',
        },
        ['api'],
      );
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(
      /FEED_PRIORITIES entry 'res.partner=urgent' is not model=high\|medium\|low/,
    );
    expect(attempt).toThrow(/SYNC_APP_TYPES must be a JSON object/);
    expect(attempt).toThrow(/API_KEYS entry 'bridgecore:not-a-has\.\.\.' is not name:<sha256/);
    expect(attempt).toThrow(/API_TOKEN_SECRET must be at least 32 characters/);
    expect(attempt).toThrow(/API_ACK_WAIT_MS '-1'/);
  });

  it('reads the capture settings', () => {
    const config = loadConfig(
      {
        ...complete,
        TRACKED_MODELS: 'sale.order, crm.lead,sale.order',
        CAPTURE_SLOT: 'odoo_prod',
        CAPTURE_REPLICA_IDENTITY_FULL: 'false',
        CAPTURE_TOPIC_PARTITIONS: '6',
        SCHEMA_REGISTRY_URL: 'http://registry:8081',
      },
      ['capture'],
    );
    expect(config.capture).toMatchObject({
      trackedModels: ['sale.order', 'crm.lead'],
      slot: 'odoo_prod',
      replicaIdentityFull: false,
      topicPartitions: 6,
    });
    expect(config.schemaRegistryUrl).toBe('http://registry:8081');
  });

  it('names bad capture settings', () => {
    expect(
      problemsOf(
        {
          ...complete,
          TRACKED_MODELS: 'sale.order,Sale Order',
          CAPTURE_SLOT: 'odoo-stream',
          CAPTURE_TOMBSTONES: 'maybe',
          CAPTURE_TOPIC_PARTITIONS: '0',
        },
        ['capture'],
      ),
    ).toEqual([
      "TRACKED_MODELS entry 'Sale Order' is not an Odoo model name (for example sale.order)",
      "CAPTURE_SLOT 'odoo-stream' must be lower-case letters, digits and '_' (at most 63)",
      "CAPTURE_TOPIC_PARTITIONS '0' is not a whole number from 1 to 10000",
      "CAPTURE_TOMBSTONES 'maybe' is not true or false",
    ]);
  });

  it('reads every variable that is set', () => {
    const config = loadConfig(
      { ...complete, TOPIC_PREFIX: 'acme.erp', API_PORT: '8080', LOG_LEVEL: 'DEBUG' },
      ['api'],
    );
    expect(config).toMatchObject({ topicPrefix: 'acme.erp', apiPort: 8080, logLevel: 'debug' });
    expect(loadConfig({ ...complete, API_HOST: '0.0.0.0' }, ['api']).apiHost).toBe('0.0.0.0');
    expect(() => loadConfig({ ...complete, API_HOST: 'http://x/' }, ['api'])).toThrow(
      "API_HOST 'http://x/' is not an address to listen on",
    );
  });

  it('names each missing variable an app needs, and only those', () => {
    expect(problemsOf({}, ['capture'])).toEqual([
      'KAFKA_BROKERS is required but not set',
      'ODOO_DATABASE_URL is required but not set',
    ]);
    expect(problemsOf({ KAFKA_BROKERS: 'k:9092', DATABASE_URL: ' ' }, ['api'])).toEqual([
      'DATABASE_URL is required but not set',
    ]);
  });

  it('refuses a broker entry without a host or a valid port', () => {
    expect(problemsOf({ ...complete, KAFKA_BROKERS: ':9092' }, ['api'])).toEqual([
      "KAFKA_BROKERS entry ':9092' is not host:port (expected for example 127.0.0.1:9092)",
    ]);
    expect(problemsOf({ ...complete, KAFKA_BROKERS: 'kafka:99999' }, ['api'])).toEqual([
      "KAFKA_BROKERS entry 'kafka:99999': port '99999' is not a number from 1 to 65535",
    ]);
  });

  it('refuses database URLs that are not PostgreSQL URLs naming a database', () => {
    expect(problemsOf({ ...complete, DATABASE_URL: 'not a url' }, ['api'])).toEqual([
      'DATABASE_URL is not a URL (expected postgres://user@host:5432/database)',
    ]);
    expect(problemsOf({ ...complete, DATABASE_URL: 'mysql://db/x' }, ['api'])).toEqual([
      'DATABASE_URL must start with postgres:// or postgresql://, not mysql://',
    ]);
    expect(
      problemsOf({ ...complete, ODOO_DATABASE_URL: 'postgres://db:5432' }, ['capture']),
    ).toEqual([
      'ODOO_DATABASE_URL names no database (expected postgres://user@host:5432/database)',
    ]);
  });

  it('reports every problem at once', () => {
    const problems = problemsOf(
      { ...complete, API_PORT: 'eighty', LOG_LEVEL: 'loud', TOPIC_PREFIX: 'odoo stream' },
      ['api'],
    );
    expect(problems).toEqual([
      "TOPIC_PREFIX 'odoo stream' is not a valid topic name prefix (letters, digits, '_', '-', dot-separated)",
      "API_PORT: port 'eighty' is not a number from 1 to 65535",
      "LOG_LEVEL 'loud' is not one of fatal, error, warn, info, debug, trace, silent",
    ]);
  });
});

describe('redactUrl', () => {
  it('hides the password and keeps the rest', () => {
    expect(redactUrl('postgres://stream:secret@db:5432/odoo_stream')).toBe(
      'postgres://stream:***@db:5432/odoo_stream',
    );
    expect(redactUrl('postgres://db/odoo')).toBe('postgres://db/odoo');
  });
});
