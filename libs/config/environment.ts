import { readFileSync } from 'node:fs';
import { parseKafkaSecurity } from './kafka-security';
import {
  AppConfig,
  AppName,
  CaptureConfig,
  DEFAULT_EXCLUDED_FIELDS,
  DEFAULT_TRACKED_MODELS,
  KafkaBroker,
  LOG_LEVELS,
  LogLevel,
  AuthConfig,
  FeedConfig,
  SCHEMA_REGISTRY_AUTH_MODES,
  SchemaRegistryAuth,
  WebhooksConfig,
} from './app-config';
import {
  DEFAULT_APP_TYPE_MODELS,
  AREA_CATEGORIES,
  DEFAULT_MODEL_PRIORITIES,
  FEED_PRIORITIES,
  FeedPriority,
} from './feed-defaults';

/** One line per problem, each naming the variable: what start-up prints before it exits. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

export type Environment = Record<string, string | undefined>;

/** Which variables each app cannot start without. */
const REQUIRED: Record<AppName, Array<'KAFKA_BROKERS' | 'DATABASE_URL' | 'ODOO_DATABASE_URL'>> = {
  api: ['KAFKA_BROKERS', 'DATABASE_URL'],
  capture: ['KAFKA_BROKERS', 'ODOO_DATABASE_URL'],
  projector: ['KAFKA_BROKERS', 'DATABASE_URL'],
  dispatcher: ['KAFKA_BROKERS', 'DATABASE_URL'],
};

const SSL_MODES = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify'];

const TOPIC_PREFIX = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

export function requiredVariables(apps: AppName[]): string[] {
  return [...new Set(apps.flatMap((app) => REQUIRED[app]))];
}

/** Validates the environment for the given apps; throws ConfigError listing every problem. */
export function loadConfig(env: Environment, apps: AppName[]): AppConfig {
  const problems: string[] = [];
  const value = (name: string): string | undefined => {
    const raw = env[name];
    return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
  };
  for (const name of requiredVariables(apps)) {
    if (value(name) === undefined) problems.push(`${name} is required but not set`);
  }

  const brokers = parseBrokers(value('KAFKA_BROKERS'), problems);
  const kafkaSecurity = parseKafkaSecurity(value, problems);
  const databaseUrl = parsePostgresUrl('DATABASE_URL', value('DATABASE_URL'), problems);
  const odooDatabaseUrl = parsePostgresUrl(
    'ODOO_DATABASE_URL',
    value('ODOO_DATABASE_URL'),
    problems,
  );

  const topicPrefix = value('TOPIC_PREFIX') ?? 'odoo';
  if (!TOPIC_PREFIX.test(topicPrefix) || topicPrefix.length > 100) {
    problems.push(
      `TOPIC_PREFIX '${topicPrefix}' is not a valid topic name prefix (letters, digits, '_', '-', dot-separated)`,
    );
  }

  const apiPort = parsePort('API_PORT', value('API_PORT') ?? '3000', problems);
  // Local by default; the Docker image sets 0.0.0.0.
  const apiHost = value('API_HOST') ?? '127.0.0.1';
  if (!/^[A-Za-z0-9.:-]+$/.test(apiHost)) {
    problems.push(`API_HOST '${apiHost}' is not an address to listen on (127.0.0.1, 0.0.0.0, ::)`);
  }

  const logLevel = (value('LOG_LEVEL') ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    problems.push(`LOG_LEVEL '${logLevel}' is not one of ${LOG_LEVELS.join(', ')}`);
  }

  const capture = parseCapture(value, problems);
  const feed = parseFeed(value, problems);
  const auth = parseAuth(value, problems);
  const webhooks = parseWebhooks(value, problems);
  const schemaRegistryUrl = value('SCHEMA_REGISTRY_URL');
  if (schemaRegistryUrl && !/^https?:\/\/[^\s/]+/.test(schemaRegistryUrl)) {
    problems.push(`SCHEMA_REGISTRY_URL '${schemaRegistryUrl}' is not an http(s) URL`);
  }

  const apiCorsOrigins = parseCorsOrigins(value('API_CORS_ORIGINS'), problems);
  const odooUrl = value('ODOO_URL');
  if (odooUrl !== undefined && !/^https?:\/\/[^\s/]+\/?$/.test(odooUrl)) {
    problems.push(
      `ODOO_URL '${odooUrl}' is not the base URL of an Odoo server (http(s)://host[:port], no path)`,
    );
  }

  const telegram = {
    apiRoot: (value('TELEGRAM_API_ROOT') ?? 'https://api.telegram.org').replace(/\/$/, ''),
    publicUrl: value('TELEGRAM_PUBLIC_URL')?.replace(/\/$/, ''),
  };
  if (!/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(telegram.apiRoot)) {
    problems.push(`TELEGRAM_API_ROOT '${telegram.apiRoot}' is not an http(s) URL`);
  }
  if (
    telegram.publicUrl !== undefined &&
    !/^https:\/\/[^\s/]+(\/[^\s]*)?$/.test(telegram.publicUrl)
  ) {
    problems.push(
      `TELEGRAM_PUBLIC_URL '${telegram.publicUrl}' must be an https URL (Telegram calls webhooks over https only)`,
    );
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    kafka: { brokers, clientId: value('KAFKA_CLIENT_ID') ?? 'odoo-stream', ...kafkaSecurity },
    databaseUrl,
    odooDatabaseUrl,
    topicPrefix,
    apiPort,
    apiHost,
    apiCorsOrigins,
    odooUrl: odooUrl?.replace(/\/$/, ''),
    logLevel: logLevel as LogLevel,
    capture,
    feed,
    auth,
    webhooks,
    telegram,
    schemaRegistryUrl,
  };
}

const MODEL_NAME = /^[a-z_][a-z0-9_]*(\.[a-z0-9_]+)*$/;

/** `*`, `none`, or a comma list of origins (`https://app.example.com`). */
function parseCorsOrigins(raw: string | undefined, problems: string[]): string[] {
  const text = (raw ?? '*').trim();
  if (text === '*') return ['*'];
  if (text === '' || text.toLowerCase() === 'none') return [];
  const origins = text.split(',').map((o) => o.trim());
  const bad = origins.filter((o) => !/^https?:\/\/[^\s/]+$/.test(o));
  if (bad.length > 0) {
    problems.push(
      `API_CORS_ORIGINS has ${bad.join(', ')}: give *, none, or origins like https://app.example.com (no path)`,
    );
  }
  return origins;
}
const SQL_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function parseCapture(
  value: (name: string) => string | undefined,
  problems: string[],
): CaptureConfig {
  const models = (value('TRACKED_MODELS') ?? DEFAULT_TRACKED_MODELS.join(','))
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean);
  for (const model of models) {
    if (!MODEL_NAME.test(model)) {
      problems.push(
        `TRACKED_MODELS entry '${model}' is not an Odoo model name (for example sale.order)`,
      );
    }
  }
  if (models.length === 0) problems.push('TRACKED_MODELS names no model');
  const name = (variable: string, fallback: string) => {
    const v = value(variable) ?? fallback;
    if (!SQL_NAME.test(v)) {
      problems.push(`${variable} '${v}' must be lower-case letters, digits and '_' (at most 63)`);
    }
    return v;
  };
  return {
    trackedModels: [...new Set(models)],
    slot: name('CAPTURE_SLOT', 'odoo_stream'),
    publication: name('CAPTURE_PUBLICATION', 'odoo_stream'),
    replicaIdentityFull: parseBoolean('CAPTURE_REPLICA_IDENTITY_FULL', value, true, problems),
    topicPartitions: parseInteger('CAPTURE_TOPIC_PARTITIONS', value, 1, 1, 10_000, problems),
    topicReplication: parseInteger('CAPTURE_TOPIC_REPLICATION', value, -1, -1, 32, problems),
    tombstones: parseBoolean('CAPTURE_TOMBSTONES', value, true, problems),
    heartbeatMs: parseInteger('CAPTURE_HEARTBEAT_MS', value, 10_000, 100, 3_600_000, problems),
    spillAfterRows: parseInteger(
      'CAPTURE_SPILL_AFTER_ROWS',
      value,
      20_000,
      1,
      100_000_000,
      problems,
    ),
    maxTransactionRecords: parseInteger(
      'CAPTURE_MAX_TRANSACTION_RECORDS',
      value,
      10_000_000,
      1,
      100_000_000,
      problems,
    ),
    excludedFields: parseExcludedFields(value('CAPTURE_EXCLUDED_FIELDS'), problems),
  };
}

/** `model.field,...`: columns never put in an event (secrets such as password hashes). */
function parseExcludedFields(raw: string | undefined, problems: string[]) {
  const excluded: Record<string, string[]> = {};
  for (const entry of (raw ?? DEFAULT_EXCLUDED_FIELDS.join(','))
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const dot = entry.lastIndexOf('.');
    const model = entry.slice(0, dot);
    const field = entry.slice(dot + 1);
    if (dot < 0 || !MODEL_NAME.test(model) || !SQL_NAME.test(field)) {
      problems.push(
        `CAPTURE_EXCLUDED_FIELDS entry '${entry}' is not model.field (for example res.users.password)`,
      );
      continue;
    }
    (excluded[model] ??= []).push(field);
  }
  return excluded;
}

/** `model=value,model=value`, each value checked by `accept`. */
function parseModelMap<T extends string>(
  name: string,
  raw: string | undefined,
  accept: (v: string) => boolean,
  expected: string,
  problems: string[],
): Record<string, T> {
  const map: Record<string, T> = {};
  if (raw === undefined) return map;
  for (const entry of raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [model, v, ...rest] = entry.split('=').map((p) => p.trim());
    if (!MODEL_NAME.test(model ?? '') || v === undefined || rest.length > 0 || !accept(v)) {
      problems.push(`${name} entry '${entry}' is not model=${expected}`);
      continue;
    }
    map[model] = v as T;
  }
  return map;
}

function parseFeed(value: (name: string) => string | undefined, problems: string[]): FeedConfig {
  const priorities = parseModelMap<FeedPriority>(
    'FEED_PRIORITIES',
    value('FEED_PRIORITIES'),
    (v) => (FEED_PRIORITIES as readonly string[]).includes(v),
    FEED_PRIORITIES.join('|'),
    problems,
  );
  const rawCategories = value('FEED_CATEGORIES');
  const categoriesByArea = /^\s*by-area\s*(,|$)/.test(rawCategories ?? '');
  const categories = parseModelMap<string>(
    'FEED_CATEGORIES',
    categoriesByArea ? rawCategories!.replace(/^\s*by-area\s*,?/, '') : rawCategories,
    (v) => /^[A-Za-z0-9_-]{1,64}$/.test(v),
    'category (letters, digits, _ or -)',
    problems,
  );
  let appTypeModels = DEFAULT_APP_TYPE_MODELS;
  const rawAppTypes = value('SYNC_APP_TYPES');
  if (rawAppTypes !== undefined) {
    const problem = `SYNC_APP_TYPES must be a JSON object of app type to model list, for example {"sales_app":["sale.order","res.partner"]}`;
    try {
      const parsed: unknown = JSON.parse(rawAppTypes);
      const valid =
        typeof parsed === 'object' &&
        parsed !== null &&
        !Array.isArray(parsed) &&
        Object.entries(parsed).every(
          ([app, models]) =>
            /^[a-z0-9_]{1,64}$/.test(app) &&
            Array.isArray(models) &&
            models.every((m) => typeof m === 'string' && MODEL_NAME.test(m)),
        );
      if (valid) appTypeModels = parsed as Record<string, string[]>;
      else problems.push(problem);
    } catch {
      problems.push(problem);
    }
  }
  const archiveAfterDays = parseInteger('FEED_ARCHIVE_AFTER_DAYS', value, 7, 0, 36_500, problems);
  const deleteAfterDays = parseInteger('FEED_DELETE_AFTER_DAYS', value, 30, 0, 36_500, problems);
  return {
    priorities: { ...DEFAULT_MODEL_PRIORITIES, ...priorities },
    categories: { ...(categoriesByArea ? AREA_CATEGORIES : {}), ...categories },
    categoriesByArea,
    appTypeModels,
    includeSnapshot: parseBoolean('FEED_INCLUDE_SNAPSHOT', value, false, problems),
    archiveAfterDays,
    deleteAfterDays,
    eventIndexDays: parseInteger('EVENT_INDEX_DAYS', value, 30, 0, 36_500, problems),
    retentionIntervalMs: parseInteger(
      'FEED_RETENTION_INTERVAL_MS',
      value,
      3_600_000,
      1000,
      86_400_000,
      problems,
    ),
    ackWaitMs: parseInteger('API_ACK_WAIT_MS', value, 5000, 0, 60_000, problems),
    idsAfter: parseInteger('FEED_IDS_AFTER', value, 0, 0, Number.MAX_SAFE_INTEGER, problems),
  };
}

function parseAuth(value: (name: string) => string | undefined, problems: string[]): AuthConfig {
  const apiKeys = parseKeyList('API_KEYS', value('API_KEYS'), problems);
  const tokenSecret = value('API_TOKEN_SECRET');
  if (tokenSecret !== undefined && tokenSecret.length < 32) {
    problems.push('API_TOKEN_SECRET must be at least 32 characters');
  }
  return {
    apiKeys,
    tokenSecret,
    rateLimitPerMinute: parseInteger(
      'API_RATE_LIMIT_PER_MINUTE',
      value,
      600,
      1,
      1_000_000,
      problems,
    ),
    adminKeys: parseKeyList('ADMIN_API_KEYS', value('ADMIN_API_KEYS'), problems),
    schemaRegistryAuth: parseSchemaRegistryAuth(value('SCHEMA_REGISTRY_AUTH'), problems),
  };
}

function parseSchemaRegistryAuth(raw: string | undefined, problems: string[]): SchemaRegistryAuth {
  const mode = (raw ?? 'writes').toLowerCase();
  if ((SCHEMA_REGISTRY_AUTH_MODES as readonly string[]).includes(mode)) {
    return mode as SchemaRegistryAuth;
  }
  problems.push(
    `SCHEMA_REGISTRY_AUTH '${raw}' is not one of ${SCHEMA_REGISTRY_AUTH_MODES.join(', ')}`,
  );
  return 'writes';
}

/** `name:<sha256 hex>` entries, comma-separated. */
function parseKeyList(
  name: string,
  raw: string | undefined,
  problems: string[],
): AuthConfig['apiKeys'] {
  const keys: AuthConfig['apiKeys'] = [];
  for (const entry of (raw ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const match = /^([A-Za-z0-9_.-]{1,64}):(?:sha256:)?([0-9a-fA-F]{64})$/.exec(entry);
    if (!match) {
      problems.push(
        `${name} entry '${entry.slice(0, 20)}...' is not name:<sha256 of the key, 64 hex digits> (npm run api-key -- <name> makes one)`,
      );
      continue;
    }
    keys.push({ name: match[1], sha256: match[2].toLowerCase() });
  }
  return keys;
}

function parseWebhooks(
  value: (name: string) => string | undefined,
  problems: string[],
): WebhooksConfig {
  return {
    allowPrivateEndpoints: parseBoolean('ALLOW_PRIVATE_ENDPOINTS', value, false, problems),
    autoDisableAfterMs: parseInteger(
      'WEBHOOK_AUTO_DISABLE_AFTER_MS',
      value,
      5 * 86_400_000,
      1000,
      365 * 86_400_000,
      problems,
    ),
    subscriberRefreshMs: parseInteger(
      'DISPATCHER_SUBSCRIBER_REFRESH_MS',
      value,
      5000,
      100,
      3_600_000,
      problems,
    ),
    rotationOverlapMs: parseInteger(
      'WEBHOOK_ROTATION_OVERLAP_MS',
      value,
      86_400_000,
      0,
      30 * 86_400_000,
      problems,
    ),
  };
}

function parseBoolean(
  name: string,
  value: (name: string) => string | undefined,
  fallback: boolean,
  problems: string[],
): boolean {
  const raw = value(name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['true', '1', 'yes', 'on'].includes(raw)) return true;
  if (['false', '0', 'no', 'off'].includes(raw)) return false;
  problems.push(`${name} '${raw}' is not true or false`);
  return fallback;
}

function parseInteger(
  name: string,
  value: (name: string) => string | undefined,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  const raw = value(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^-?\d+$/.test(raw) || n < min || n > max) {
    problems.push(`${name} '${raw}' is not a whole number from ${min} to ${max}`);
    return fallback;
  }
  return n;
}

function parseBrokers(raw: string | undefined, problems: string[]): KafkaBroker[] {
  if (raw === undefined) return [];
  const brokers: KafkaBroker[] = [];
  for (const entry of raw.split(',').map((e) => e.trim())) {
    const match = /^(\[[0-9a-fA-F:]+\]|[^:\s/]+):(\d+)$/.exec(entry);
    if (!match) {
      problems.push(
        `KAFKA_BROKERS entry '${entry}' is not host:port (expected for example 127.0.0.1:9092)`,
      );
      continue;
    }
    const port = parsePort(`KAFKA_BROKERS entry '${entry}'`, match[2], problems);
    brokers.push({ host: match[1], port });
  }
  return brokers;
}

function parsePostgresUrl(name: string, raw: string | undefined, problems: string[]) {
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`${name} is not a URL (expected postgres://user@host:5432/database)`);
    return undefined;
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    problems.push(`${name} must start with postgres:// or postgresql://, not ${url.protocol}//`);
  } else if (url.pathname.length <= 1) {
    problems.push(`${name} names no database (expected postgres://user@host:5432/database)`);
  } else if (!url.hostname && !url.searchParams.get('host')) {
    problems.push(`${name} names no host`);
  }
  // TLS as libpq spells it; the files are read by the driver at each connection.
  const sslmode = url.searchParams.get('sslmode');
  if (sslmode !== null && !SSL_MODES.includes(sslmode)) {
    problems.push(`${name}: sslmode '${sslmode}' is not one of ${SSL_MODES.join(', ')}`);
  }
  for (const param of ['sslrootcert', 'sslcert', 'sslkey']) {
    const file = url.searchParams.get(param);
    if (file === null) continue;
    try {
      readFileSync(file);
    } catch (error) {
      problems.push(
        `${name}: ${param} ${file} cannot be read (${(error as NodeJS.ErrnoException).code})`,
      );
    }
  }
  return raw;
}

function parsePort(name: string, raw: string, problems: string[]): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) {
    problems.push(`${name}: port '${raw}' is not a number from 1 to 65535`);
    return 0;
  }
  return port;
}

/** A database URL safe to print: the password is replaced by ***. */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparseable URL)';
  }
}
