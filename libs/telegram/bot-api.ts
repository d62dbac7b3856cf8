import { autoRetry } from '@grammyjs/auto-retry';
import { Api, GrammyError } from 'grammy';

export type ApiCallObserver = (method: string, seconds: number, ok: boolean) => void;

/**
 * grammY's Bot API client for one bot, at `apiRoot` (Telegram's, or a local Bot API server),
 * retrying what Telegram asks to retry: 429 after its `retry_after`, 5xx and network errors.
 */
export function botApi(token: string, apiRoot: string, observe?: ApiCallObserver): Api {
  const api = new Api(token, { apiRoot });
  api.config.use(autoRetry({ maxRetryAttempts: 8, maxDelaySeconds: 300 }));
  if (observe) {
    // Installed last, so it sees each request the retries make.
    api.config.use(async (previous, method, payload, signal) => {
      const started = performance.now();
      try {
        const answer = await previous(method, payload, signal);
        observe(method, (performance.now() - started) / 1000, answer.ok);
        return answer;
      } catch (error) {
        observe(method, (performance.now() - started) / 1000, false);
        throw error;
      }
    });
  }
  return api;
}

/** Telegram's 403: the user blocked the bot (or deleted their account). */
export function blockedByUser(error: unknown): boolean {
  return error instanceof GrammyError && error.error_code === 403;
}

/** A Bot API error as one line, never with the token (grammY's messages hold only the method). */
export function botApiProblem(error: unknown): string {
  if (error instanceof GrammyError) return `${error.error_code} ${error.description}`;
  return (error as Error).message.replace(/bot\d+:[A-Za-z0-9_-]+/g, 'bot<token>');
}

/** `123456789:AA...` as people may see it: the bot's id and the last 4 characters. */
export function maskToken(token: string): string {
  const [id] = token.split(':');
  return `${id}:…${token.slice(-4)}`;
}

export const BOT_TOKEN = /^\d{3,20}:[A-Za-z0-9_-]{30,100}$/;
/** What Telegram accepts as a webhook's secret_token. */
export const WEBHOOK_SECRET = /^[A-Za-z0-9_-]{16,256}$/;
