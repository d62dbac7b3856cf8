import { Api, GrammyError } from 'grammy';
import { Logger } from 'pino';
import { botApiProblem, TelegramUpdate } from '@odoo-stream/telegram';
import { TelegramEventSink } from './telegram-sender';

/**
 * Long polling for a bot in `polling` mode (a shop whose server Telegram cannot reach): getUpdates,
 * each update onto the Telegram topic, and only then the next offset, which is what tells
 * Telegram the updates arrived. A crash between the two gets the same updates again; the
 * projection keys them by update_id, so they count once. grammY's runner is not used because it
 * confirms updates while they are still being handled.
 */
export class TelegramPoller {
  private offset = 0;
  private stopped = false;
  private readonly abort = new AbortController();

  constructor(
    private readonly botId: number,
    private readonly api: Api,
    private readonly publish: TelegramEventSink,
    private readonly logger: Logger,
    private readonly timeoutSeconds = 25,
  ) {}

  async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        const updates = await this.api.getUpdates(
          { offset: this.offset, timeout: this.timeoutSeconds, allowed_updates: ['message'] },
          // grammY types its signal with the abort-controller package's AbortSignal.
          this.abort.signal as unknown as Parameters<Api['getUpdates']>[1],
        );
        for (const update of updates) {
          await this.publish({
            type: 'update',
            bot_id: this.botId,
            update: update as unknown as TelegramUpdate,
            at: new Date().toISOString(),
          });
          this.offset = update.update_id + 1;
        }
        failures = 0;
      } catch (error) {
        if (this.stopped) return;
        failures += 1;
        const conflict = error instanceof GrammyError && error.error_code === 409;
        this.logger.warn(
          { bot: this.botId },
          conflict
            ? `telegram bot ${this.botId}: getUpdates refused while a webhook is set (delete it, or use mode webhook)`
            : `telegram bot ${this.botId}: getUpdates failed: ${botApiProblem(error)}`,
        );
        await pause(Math.min(30_000, 500 * 2 ** Math.min(failures, 6)), this.abort.signal);
      }
    }
  }

  stop(): void {
    this.stopped = true;
    this.abort.abort();
  }
}

/** Waits, or less when the signal fires (a stop does not wait out a backoff). */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
