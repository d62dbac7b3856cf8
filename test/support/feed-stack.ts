import { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
import { AppName, loadConfig } from '@odoo-stream/config';
import { DeliveryAttempt } from '@odoo-stream/events';
import { createKafkaClient, ensureTopics, streamTopics } from '@odoo-stream/kafka';
import { freePort } from '@odoo-stream/local-infra';
import { createLogger } from '@odoo-stream/observability';
import { installDemoSchema, installDemoUsers } from '@odoo-stream/odoo';
import { AppDefinition, preflight, startApp } from '@odoo-stream/runtime';
import { apiApp } from '../../apps/api/api.app';
import { captureApp } from '../../apps/capture/capture.app';
import { projectorApp } from '../../apps/projector/projector.app';
import { dispatcherApp } from '../../apps/dispatcher/dispatcher.app';
import { newApiKey } from '../../apps/api/auth/api-keys';
import { AppProcess } from './app-process';
import { OpenApiContract } from './openapi-contract';
import { captureEnv, createTestDatabase, pollUntil, uniqueName } from './test-stack';

const APPS: Record<string, AppDefinition> = {
  api: apiApp,
  capture: captureApp,
  projector: projectorApp,
  dispatcher: dispatcherApp,
};

export interface HttpAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * Capture, projector and api on a demo Odoo database of their own, as an operator runs them:
 * one environment, the integration key known to the test.
 */
export class FeedStack {
  readonly apiKey: string;
  readonly adminKey: string;
  readonly env: Record<string, string>;
  readonly odoo: Client;
  private readonly running = new Map<string, INestApplicationContext>();
  private readonly processes: AppProcess[] = [];

  private constructor(
    readonly prefix: string,
    readonly odooUrl: string,
    readonly serviceUrl: string,
    apiPort: number,
    models: string[],
    extra: Record<string, string>,
  ) {
    const { key, entry } = newApiKey('tests');
    this.apiKey = key;
    const admin = newApiKey('operator');
    this.adminKey = admin.key;
    this.env = captureEnv(odooUrl, prefix, models, {
      DATABASE_URL: serviceUrl,
      API_PORT: String(apiPort),
      API_KEYS: entry,
      ADMIN_API_KEYS: admin.entry,
      ALLOW_PRIVATE_ENDPOINTS: 'true',
      API_TOKEN_SECRET: 'feed-stack-token-secret-0123456789abcdef',
      ...extra,
    });
    this.odoo = new Client({ connectionString: odooUrl });
  }

  /** On a new demo Odoo database, or on `odooUrl` (a restored real one). */
  static async create(
    models: string[],
    extra: Record<string, string> = {},
    odooUrl?: string,
  ): Promise<FeedStack> {
    const prefix = uniqueName('feed').replace(/-/g, '_');
    if (!odooUrl) {
      odooUrl = await createTestDatabase('odoo');
      await installDemoSchema(odooUrl);
      await installDemoUsers(odooUrl);
    }
    const stack = new FeedStack(
      prefix,
      odooUrl,
      await createTestDatabase('stream'),
      await freePort(),
      models,
      extra,
    );
    await stack.odoo.connect();
    const config = loadConfig(stack.env, ['api', 'projector', 'capture']);
    await preflight(config, ['api', 'projector', 'capture'], createLogger('test', 'warn'));
    return stack;
  }

  get url(): string {
    return `http://127.0.0.1:${this.env.API_PORT}`;
  }

  /** Starts apps in this process. */
  async start(...apps: AppName[]): Promise<void> {
    for (const app of apps) await this.startAs(app, app);
  }

  /** Starts an app in this process under a name of its own, with settings of its own. */
  async startAs(name: string, app: AppName, extra: Record<string, string> = {}): Promise<void> {
    const config = loadConfig({ ...this.env, ...extra }, [app]);
    this.running.set(
      name,
      await startApp(
        APPS[app],
        config,
        createLogger(app, (process.env.TEST_APP_LOG_LEVEL as 'warn') ?? 'warn'),
      ),
    );
    // Capture takes its slot in the background: a row written before that is in its snapshot
    // (a read, not in the feed). Tests write once it streams.
    if (app === 'capture') await this.untilStreaming(config.capture.slot);
  }

  private async untilStreaming(slot: string): Promise<void> {
    await this.until(async () => {
      const { rowCount } = await this.odoo.query(
        `SELECT 1 FROM pg_replication_slots s JOIN pg_stat_replication r ON r.pid = s.active_pid
         WHERE s.slot_name = $1 AND r.state IN ('catchup', 'streaming')`,
        [slot],
      );
      return rowCount === 1 ? true : undefined;
    }, `capture streaming from slot ${slot}`);
  }

  async stop(...apps: string[]): Promise<void> {
    for (const app of apps) {
      await this.running.get(app)?.close();
      this.running.delete(app);
    }
  }

  /** An app as its own process (to kill it, or to run several instances). */
  spawn(app: AppName, extra: Record<string, string> = {}): AppProcess {
    const child = new AppProcess(app, { ...this.env, ...extra });
    child.start();
    this.processes.push(child);
    return child;
  }

  async close(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.stop()));
    await this.stop(...[...this.running.keys()].reverse());
    // The slot would hold WAL, and one of the cluster's slots, for the rest of the run.
    await this.odoo
      .query(
        `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
         WHERE slot_name = $1 AND NOT active`,
        [this.env.CAPTURE_SLOT],
      )
      .catch(() => undefined);
    await this.odoo.end();
  }

  async http<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = { 'X-API-Key': this.apiKey },
  ): Promise<HttpAnswer<T>> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        ...headers,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    const answer = {
      status: response.status,
      body: (text ? JSON.parse(text) : {}) as T,
      headers: response.headers,
    };
    // Every answer a suite gets must be the one the OpenAPI document describes (the schema
    // registry's Confluent API and the operational endpoints have their own contracts).
    const json = response.headers.get('content-type')?.includes('application/json');
    if (json && path.startsWith('/api/') && !path.startsWith('/api/docs')) {
      this.contract ??= OpenApiContract.load(this.url);
      const problems = (await this.contract).problems(method, path, answer.status, answer.body);
      if (problems.length > 0) {
        throw new Error(`the answer is not the documented one:\n${problems.join('\n')}`);
      }
    }
    return answer;
  }

  private contract?: Promise<OpenApiContract>;

  /** Polls until `check` returns a value (not undefined). */
  until<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
    return pollUntil(check, what, timeoutMs);
  }

  /**
   * A subscriber with one subscription, through the admin API. With `running`, resolves once the
   * dispatcher's consumer group for it has a member (it delivers from then on).
   */
  async createSubscriber(
    subscriber: Record<string, unknown>,
    subscription: Record<string, unknown>,
    options: { running: boolean },
  ): Promise<{ id: number; secret: string }> {
    const admin = { 'X-API-Key': this.adminKey };
    const created = await this.http<{ id: number; secret: string }>(
      'POST',
      '/api/subscribers',
      { name: 'test', ...subscriber },
      admin,
    );
    if (created.status !== 201)
      throw new Error(`subscriber refused: ${JSON.stringify(created.body)}`);
    const path = `/api/subscribers/${created.body.id}/subscriptions`;
    const added = await this.http('POST', path, subscription, admin);
    if (added.status !== 201)
      throw new Error(`subscription refused: ${JSON.stringify(added.body)}`);
    if (options.running) {
      const admin = createKafkaClient(loadConfig(this.env, ['api'])).admin();
      await admin.connect();
      const group = `${this.prefix}.dispatcher.subscriber-${created.body.id}`;
      try {
        await pollUntil(async () => {
          const [described] = (await admin.describeGroups([group])).groups;
          return described?.members.length ? true : undefined;
        }, `the dispatcher to read for subscriber ${created.body.id}`);
      } finally {
        await admin.disconnect();
      }
    }
    return created.body;
  }

  /**
   * A subscriber's delivery attempts as the dispatcher writes them to Kafka, as they arrive
   * (before the projector puts them in the delivery log); stop() when done.
   */
  async readAttempts(subscriberId: number) {
    const kafka = createKafkaClient(loadConfig(this.env, ['api']));
    const spec = streamTopics(this.prefix).deliveryAttempts;
    await ensureTopics(kafka, [spec]);
    const consumer = kafka.consumer({
      groupId: uniqueName(`${this.prefix}-attempts`),
      maxWaitTimeInMs: 100,
    });
    const attempts: DeliveryAttempt[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: spec.topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const attempt = JSON.parse(message.value?.toString() ?? 'null') as DeliveryAttempt | null;
        if (attempt?.subscriber_id === subscriberId) attempts.push(attempt);
      },
    });
    return { attempts, stop: () => consumer.disconnect() };
  }

  /** Rows of the feed table, straight from the database. */
  async feedRows(where = 'true'): Promise<Array<Record<string, unknown>>> {
    const client = new Client({ connectionString: this.serviceUrl });
    await client.connect();
    try {
      return (await client.query(`SELECT * FROM update_webhook WHERE ${where} ORDER BY id`)).rows;
    } finally {
      await client.end();
    }
  }

  async serviceQuery(sql: string, params: unknown[] = []) {
    const client = new Client({ connectionString: this.serviceUrl });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows;
    } finally {
      await client.end();
    }
  }
}

/** An Odoo-shaped partner insert, as one transaction, written by the admin user (uid 2). */
export async function insertPartner(odoo: Client, name: string): Promise<number> {
  const { rows } = await odoo.query<{ id: number }>(
    `INSERT INTO res_partner (name, active, type, create_uid, create_date, write_uid, write_date)
     VALUES ($1, true, 'contact', 2, now() at time zone 'utc', 2, now() at time zone 'utc')
     RETURNING id`,
    [name],
  );
  return rows[0].id;
}
