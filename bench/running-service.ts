import { ChildProcess } from 'node:child_process';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { freePort } from '@odoo-stream/local-infra';
import { newApiKey } from '../apps/api/auth/api-keys';
import { startAppProcess, stopProcess, waitFor } from './bench-processes';
import { BenchDeployment } from './workload/captured-workload';

/**
 * odoo-stream's apps as separate processes on a bench deployment, as in production, with an
 * admin key for the api.
 */
export class RunningService {
  private readonly apps = new Map<string, ChildProcess[]>();
  readonly env: Record<string, string>;
  /** The admin key the api runs with (the dashboard bench signs in with it). */
  readonly adminKey: string;

  private constructor(
    deployment: BenchDeployment,
    readonly port: number,
  ) {
    const admin = newApiKey('bench');
    this.adminKey = admin.key;
    this.env = {
      ...deployment.env,
      API_PORT: String(port),
      ADMIN_API_KEYS: admin.entry,
      API_KEYS: admin.entry,
      API_RATE_LIMIT_PER_MINUTE: '1000000',
      ALLOW_PRIVATE_ENDPOINTS: 'true',
      DISPATCHER_SUBSCRIBER_REFRESH_MS: '500',
    };
  }

  static async start(deployment: BenchDeployment, apps: string[]): Promise<RunningService> {
    const service = new RunningService(deployment, await freePort());
    for (const app of apps) service.startApp(app);
    if (apps.includes('api')) {
      await waitFor(async () => {
        const ok = await fetch(`${service.url}/health`).catch(() => undefined);
        return ok?.status === 200;
      }, 120_000);
    }
    return service;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  startApp(app: string): ChildProcess {
    const child = startAppProcess(app, this.env);
    this.apps.set(app, [...(this.apps.get(app) ?? []), child]);
    return child;
  }

  async stopApp(app: string): Promise<void> {
    await Promise.all((this.apps.get(app) ?? []).map(stopProcess));
    this.apps.delete(app);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.apps.keys()].map((app) => this.stopApp(app)));
  }

  /** An api call with the admin key; throws on an answer that is not 2xx. */
  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const answer = await fetch(`${this.url}${path}`, {
      method,
      headers: { 'X-API-Key': this.adminKey, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await answer.text();
    if (!answer.ok) throw new Error(`${method} ${path}: ${answer.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** A subscriber of `models`' every event, at `endpoint`. */
  async subscribe(name: string, endpoint: string, models: string[]): Promise<number> {
    const { id } = await this.call<{ id: number }>('POST', '/api/subscribers', {
      name,
      endpoint_url: endpoint,
      max_concurrency: 16,
    });
    for (const model of models) {
      await this.call('POST', `/api/subscribers/${id}/subscriptions`, {
        model,
        events: ['create', 'write', 'unlink'],
      });
    }
    return id;
  }
}

/**
 * A subscriber's endpoint that answers 200 at once, recording when each webhook arrived (by
 * webhook-id: a retry counts once) and what it carried.
 */
export class WebhookReceiver {
  /** webhook-id -> arrival (performance.now()). */
  readonly arrivals = new Map<string, number>();
  /** The paths webhooks arrived at (one per subscriber when each has its own). */
  readonly paths = new Set<string>();
  /** Called with each first arrival's body (the default body: model, record_id, ...). */
  onArrival?: (body: { model?: string; record_id?: number }, at: number) => void;
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (d: Buffer) => chunks.push(d));
      req.on('end', () => {
        const at = performance.now();
        const id = String(req.headers['webhook-id'] ?? '');
        this.paths.add(req.url ?? '');
        if (!this.arrivals.has(id)) {
          this.arrivals.set(id, at);
          this.onArrival?.(JSON.parse(Buffer.concat(chunks).toString()), at);
        }
        res.writeHead(200).end();
      });
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
      if (!this.server) resolve();
    });
  }
}
