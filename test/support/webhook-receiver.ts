import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { pollUntil } from './test-stack';

export interface ReceivedWebhook {
  headers: Record<string, string>;
  body: string;
  json: Record<string, unknown>;
  at: number;
}

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  /** Never answer (the sender's timeout must end it). */
  hang?: boolean;
}

/** A subscriber's endpoint: records what it gets, answers as the test says. */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private server?: Server;
  private readonly hanging = new Set<() => void>();

  constructor(
    private answer: (hook: ReceivedWebhook, index: number) => Answer = () => ({ status: 200 }),
  ) {}

  answerWith(answer: (hook: ReceivedWebhook, index: number) => Answer): void {
    this.answer = answer;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void read(req).then((body) => {
        const hook: ReceivedWebhook = {
          headers: Object.fromEntries(
            Object.entries(req.headers).map(([k, v]) => [
              k,
              Array.isArray(v) ? v.join(',') : (v ?? ''),
            ]),
          ),
          body,
          json: safeJson(body),
          at: Date.now(),
        };
        const index = this.received.push(hook) - 1;
        const answer = this.answer(hook, index);
        if (answer.hang) {
          const end = () => res.destroy();
          this.hanging.add(end);
          return;
        }
        res.writeHead(answer.status, answer.headers ?? {});
        res.end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/hooks`;
  }

  async stop(): Promise<void> {
    for (const end of this.hanging) end();
    // A receiver never started (its test filtered out with -t) has nothing to close.
    const server = this.server;
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  async waitFor(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
    await pollUntil(
      async () => (condition() ? true : undefined),
      () => `${what}; received ${this.received.length}`,
      timeoutMs,
      50,
    );
  }
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => resolve(body));
  });
}

function safeJson(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
}
