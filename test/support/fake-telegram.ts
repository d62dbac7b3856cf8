import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { pollUntil } from './test-stack';

export interface SentMessage {
  chat_id: number;
  text: string;
  message_id: number;
  at: number;
}

type Failure = { code: number; description: string; retryAfter?: number };

/**
 * A local stand-in for Telegram's Bot API (`<root>/bot<token>/<method>`), answering as the real
 * one does: `{ok, result}`, or `{ok: false, error_code, description[, parameters.retry_after]}`
 * with the same HTTP status; 401 for a token it does not know; getUpdates long-polls and refuses
 * (409) while a webhook is set; a blocked user's chat answers 403; texts over 4096 characters 400.
 * As Telegram, it can also call the webhook it was given, with X-Telegram-Bot-Api-Secret-Token.
 */
export class FakeTelegram {
  readonly sent: SentMessage[] = [];
  /** Every request, method and body, in order. */
  readonly calls: Array<{ method: string; body: Record<string, unknown>; at: number }> = [];
  private server?: Server;
  private nextMessageId = 1;
  private nextUpdateId = 1000;
  private readonly updates: Array<Record<string, unknown>> = [];
  private readonly blocked = new Set<number>();
  private readonly failures: Failure[] = [];
  private waiting: Array<() => void> = [];
  webhook: { url: string; secret?: string } | null = null;

  constructor(readonly token: string) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const wake of this.waiting.splice(0)) wake();
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  block(chatId: number): void {
    this.blocked.add(chatId);
  }

  /** The next sendMessage calls fail like this, in order. */
  failNext(...failures: Failure[]): void {
    this.failures.push(...failures);
  }

  /** An update as a user's message would make it; queued for getUpdates. */
  userMessage(chatId: number, text: string, from: Record<string, unknown> = {}) {
    const update = {
      update_id: this.nextUpdateId++,
      message: {
        message_id: this.nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat: { id: chatId, type: 'private', first_name: 'Customer' },
        from: { id: chatId, is_bot: false, first_name: 'Customer', language_code: 'en', ...from },
        text,
      },
    };
    return update;
  }

  queueUpdate(update: Record<string, unknown>): void {
    this.updates.push(update);
    for (const wake of this.waiting.splice(0)) wake();
  }

  /** What Telegram does with a webhook set: POSTs the update there. */
  async deliver(update: unknown, secret = this.webhook?.secret): Promise<Response> {
    if (!this.webhook) throw new Error('no webhook set');
    return fetch(this.webhook.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(secret ? { 'X-Telegram-Bot-Api-Secret-Token': secret } : {}),
      },
      body: typeof update === 'string' ? update : JSON.stringify(update),
    });
  }

  sentTo(chatId: number): SentMessage[] {
    return this.sent.filter((m) => m.chat_id === chatId);
  }

  async waitForSent(
    chatId: number,
    count: number,
    what: string,
    timeoutMs = 60_000,
  ): Promise<SentMessage[]> {
    return pollUntil(
      async () => (this.sentTo(chatId).length >= count ? this.sentTo(chatId) : undefined),
      () => `${what}; sent to ${chatId}: ${JSON.stringify(this.sentTo(chatId).map((m) => m.text))}`,
      timeoutMs,
    );
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const fail = (code: number, description: string, retryAfter?: number) =>
      answer(code, {
        ok: false,
        error_code: code,
        description,
        ...(retryAfter !== undefined ? { parameters: { retry_after: retryAfter } } : {}),
      });
    if (!match) return fail(404, 'Not Found');
    if (match[1] !== this.token) return fail(401, 'Unauthorized');
    const method = match[2];
    let body: Record<string, unknown> = {};
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {
      return fail(400, "Bad Request: can't parse JSON");
    }
    this.calls.push({ method, body, at: Date.now() });
    switch (method) {
      case 'getMe':
        return answer(200, {
          ok: true,
          result: {
            id: Number(this.token.split(':')[0]),
            is_bot: true,
            first_name: 'Shop',
            username: 'shop_bot',
          },
        });
      case 'sendMessage': {
        const chatId = Number(body.chat_id);
        const text = String(body.text ?? '');
        const failure = this.failures.shift();
        if (failure) return fail(failure.code, failure.description, failure.retryAfter);
        if (this.blocked.has(chatId)) return fail(403, 'Forbidden: bot was blocked by the user');
        if (text.length === 0) return fail(400, 'Bad Request: message text is empty');
        if (text.length > 4096) return fail(400, 'Bad Request: message is too long');
        const message = { chat_id: chatId, text, message_id: this.nextMessageId++, at: Date.now() };
        this.sent.push(message);
        return answer(200, {
          ok: true,
          result: {
            message_id: message.message_id,
            date: Math.floor(message.at / 1000),
            chat: { id: chatId, type: 'private' },
            text,
          },
        });
      }
      case 'setWebhook':
        this.webhook = { url: String(body.url), secret: body.secret_token as string | undefined };
        return answer(200, { ok: true, result: true, description: 'Webhook was set' });
      case 'deleteWebhook':
        this.webhook = null;
        return answer(200, { ok: true, result: true, description: 'Webhook was deleted' });
      case 'getWebhookInfo':
        return answer(200, {
          ok: true,
          result: {
            url: this.webhook?.url ?? '',
            has_custom_certificate: false,
            pending_update_count: 0,
          },
        });
      case 'getUpdates': {
        if (this.webhook) {
          return fail(
            409,
            "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
          );
        }
        const offset = Number(body.offset ?? 0);
        // Confirmed: every update below the offset is forgotten, as Telegram does.
        while (this.updates.length && Number(this.updates[0].update_id) < offset)
          this.updates.shift();
        if (this.updates.length === 0 && Number(body.timeout ?? 0) > 0) {
          await new Promise<void>((resolve) => {
            this.waiting.push(resolve);
            setTimeout(resolve, Math.min(Number(body.timeout) * 1000, 2000)).unref();
          });
        }
        return answer(200, {
          ok: true,
          result: this.updates.filter((u) => Number(u.update_id) >= offset),
        });
      }
      default:
        return fail(404, 'Not Found: method not found');
    }
  }
}
