import { KafkaSecurity } from './kafka-security';
import { DEFAULT_APP_TYPE_MODELS, FeedPriority } from './feed-defaults';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type AppName = 'api' | 'capture' | 'projector' | 'dispatcher';

/** The 13 models the Odoo add-ons odoo-stream replaces tracked. */
export const ADDON_TRACKED_MODELS = [
  'sale.order',
  'product.template',
  'product.category',
  'res.partner',
  'account.move',
  'account.journal',
  'hr.expense',
  'stock.picking',
  'purchase.order',
  'hr.employee',
  'stock.move',
  'account.payment',
  'crm.lead',
];

/** Those, and every model the default app types sync, so that each device sees its models. */
export const DEFAULT_TRACKED_MODELS = [
  ...new Set([...ADDON_TRACKED_MODELS, ...Object.values(DEFAULT_APP_TYPE_MODELS).flat()]),
];

/** Columns that hold secrets: never captured, whatever TRACKED_MODELS says. */
export const DEFAULT_EXCLUDED_FIELDS = ['res.users.password', 'res.users.totp_secret'];

export interface CaptureConfig {
  trackedModels: string[];
  slot: string;
  publication: string;
  replicaIdentityFull: boolean;
  topicPartitions: number;
  /** -1: the broker's default. */
  topicReplication: number;
  tombstones: boolean;
  heartbeatMs: number;
  /** Row images of one transaction kept in memory; later ones go to a temporary file. */
  spillAfterRows: number;
  /** A transaction changing more tracked records than this stops capture with a clear message. */
  maxTransactionRecords: number;
  /** Columns left out of every event, by model. */
  excludedFields: Record<string, string[]>;
}

/** The pull feed and smart sync (projector and api). */
export interface FeedConfig {
  priorities: Record<string, FeedPriority>;
  /** Per-model categories set; see `categoryOf` for the others. */
  categories: Record<string, string>;
  /** `FEED_CATEGORIES` starts with `by-area`: odoo-stream's area categories, not the add-on's. */
  categoriesByArea: boolean;
  /** Models each mobile app type syncs. */
  appTypeModels: Record<string, string[]>;
  /** Include snapshot (`read`) events in the feed; the add-on it replaces had none. */
  includeSnapshot: boolean;
  /** Processed rows older than this are archived (hidden from the pull feed). */
  archiveAfterDays: number;
  /** Archived rows older than this are deleted; devices behind them must resync. */
  deleteAfterDays: number;
  /** Days of events the dashboard's event index keeps (EVENT_INDEX_DAYS; 0: all). */
  eventIndexDays: number;
  retentionIntervalMs: number;
  /** How long the api waits for its own acknowledgement to be applied before answering 202. */
  ackWaitMs: number;
  /**
   * Feed ids are handed out above this (a client that kept the add-on's cursor, say 50000,
   * sees every new row); only ever raises the numbering.
   */
  idsAfter: number;
}

/** Who may call the api. */
export interface AuthConfig {
  /** Integration keys: name and SHA-256 of the key (hex); the keys themselves are never stored. */
  apiKeys: Array<{ name: string; sha256: string }>;
  /** Signs device and sync tokens; unset: a random secret per process (tokens die on restart). */
  tokenSecret?: string;
  /** Requests per minute per key or device. */
  rateLimitPerMinute: number;
  /** Keys of operators who manage subscribers (same form as apiKeys). */
  adminKeys: Array<{ name: string; sha256: string }>;
  /**
   * Which calls of the built-in schema registry need an admin key: `writes` (registering,
   * setting compatibility; reads stay open as Confluent deserializers expect), `all`, or `none`.
   */
  schemaRegistryAuth: SchemaRegistryAuth;
}

export const SCHEMA_REGISTRY_AUTH_MODES = ['writes', 'all', 'none'] as const;
export type SchemaRegistryAuth = (typeof SCHEMA_REGISTRY_AUTH_MODES)[number];

/** Webhook delivery (dispatcher and the api's subscriber endpoints). */
export interface WebhooksConfig {
  /** Endpoints resolving to loopback, private or link-local addresses are refused unless true. */
  allowPrivateEndpoints: boolean;
  /** A subscriber failing every attempt this long is disabled. */
  autoDisableAfterMs: number;
  /** How often the dispatcher reads the subscriber list again. */
  subscriberRefreshMs: number;
  /** After a secret rotation, how long the previous secret keeps signing (unless confirmed). */
  rotationOverlapMs: number;
}

export interface KafkaBroker {
  host: string;
  port: number;
}

/** The validated configuration every app receives; nothing else reads process.env. */
export interface AppConfig {
  kafka: { brokers: KafkaBroker[]; clientId: string } & KafkaSecurity;
  /** The service's own database (projections). */
  databaseUrl?: string;
  /** The Odoo database that capture reads. */
  odooDatabaseUrl?: string;
  /**
   * The real Odoo's base URL (api): every HTTP and JSON-RPC call that is not odoo-stream's is
   * forwarded there unchanged, and Odoo confirms the sessions of callers without an API key.
   */
  odooUrl?: string;
  topicPrefix: string;
  apiPort: number;
  /** Where the api listens: 127.0.0.1 unless set (the Docker image sets 0.0.0.0). */
  apiHost: string;
  /**
   * Origins browsers may call the add-on's paths (`/api/webhooks/...`, `/api/v2/...`) from: `*`
   * (the add-on's own answer), a list, or empty (no CORS headers).
   */
  apiCorsOrigins: string[];
  capture: CaptureConfig;
  feed: FeedConfig;
  auth: AuthConfig;
  webhooks: WebhooksConfig;
  telegram: TelegramConfig;
  /** An external Confluent-compatible registry; unset: odoo-stream's own, on a compacted topic. */
  schemaRegistryUrl?: string;
  logLevel: LogLevel;
}

/** Telegram bots (their tokens and settings are in the service database, per bot). */
export interface TelegramConfig {
  /** The Bot API's base URL: https://api.telegram.org, or a local Bot API server. */
  apiRoot: string;
  /** This api's public https base URL, for set-webhook (`<url>/telegram/webhook/<secret>`). */
  publicUrl?: string;
}

export function brokerAddresses(config: Pick<AppConfig, 'kafka'>): string[] {
  return config.kafka.brokers.map((b) => `${b.host}:${b.port}`);
}
