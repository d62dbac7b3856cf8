import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Kafka, Producer } from 'kafkajs';
import { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@odoo-stream/config';
import { createOrderedProducer, ensureTopics, KAFKA, streamTopics } from '@odoo-stream/kafka';
import { APP_LOGGER } from '@odoo-stream/runtime';
import { botApi, TelegramEvent, telegramEventKey } from '@odoo-stream/telegram';
import { Api } from 'grammy';
import { TelegramMetrics } from './telegram-metrics';
import { TelegramPoller } from './telegram-poller';
import { TelegramSender } from './telegram-sender';

/** How often the outbox is looked at when it was empty. */
const IDLE_POLL_MS = 200;

/**
 * The dispatcher's Telegram side: sends what the projection put in the outbox, and long-polls
 * the bots in `polling` mode. Bots are read again as often as subscribers are.
 */
@Injectable()
export class TelegramService implements OnApplicationBootstrap, OnApplicationShutdown {
  private producer?: Producer;
  private stopped = false;
  private loop?: Promise<void>;
  private refresh?: NodeJS.Timeout;
  private wake?: () => void;
  private readonly pollers = new Map<
    number,
    { token: string; poller: TelegramPoller; done: Promise<void> }
  >();
  private readonly apis = new Map<string, Api>();
  private readonly metrics = TelegramMetrics.get();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    private readonly db: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const topic = streamTopics(
      this.config.topicPrefix,
      this.config.capture.topicReplication,
    ).telegram;
    await ensureTopics(this.kafka, [topic]);
    this.producer = createOrderedProducer(this.kafka);
    await this.producer.connect();
    const sender = new TelegramSender(
      this.db,
      (t) => this.api(t),
      (e) => this.publish(e),
      this.logger,
    );
    const interrupted = await sender.settleInterrupted();
    if (interrupted) {
      this.logger.warn(
        `${interrupted} telegram message(s) were being sent when the dispatcher stopped: recorded as failed, not sent again`,
      );
    }
    this.loop = this.sendLoop(sender);
    await this.refreshPollers();
    this.refresh = setInterval(
      () =>
        void this.refreshPollers().catch((e: Error) =>
          this.logger.warn({ err: e }, 'telegram bots not read'),
        ),
      this.config.webhooks.subscriberRefreshMs,
    );
    this.refresh.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.refresh);
    this.wake?.();
    for (const { poller } of this.pollers.values()) poller.stop();
    await Promise.all([...this.pollers.values()].map((p) => p.done));
    await this.loop;
    await this.producer?.disconnect();
  }

  private api(token: string): Api {
    let api = this.apis.get(token);
    if (!api) {
      api = botApi(token, this.config.telegram.apiRoot, (method, seconds, ok) =>
        this.metrics.apiLatency.observe({ method, ok: String(ok) }, seconds),
      );
      this.apis.set(token, api);
    }
    return api;
  }

  private async publish(event: TelegramEvent): Promise<void> {
    const telegramId = 'telegram_id' in event ? event.telegram_id : 0;
    await this.producer?.send({
      topic: streamTopics(this.config.topicPrefix).telegram.topic,
      acks: -1,
      messages: [{ key: telegramEventKey(event.bot_id, telegramId), value: JSON.stringify(event) }],
    });
  }

  private async sendLoop(sender: TelegramSender): Promise<void> {
    while (!this.stopped) {
      let handled = 0;
      try {
        handled = await sender.sendPending();
      } catch (error) {
        this.logger.warn({ err: error }, `telegram outbox not read: ${(error as Error).message}`);
      }
      if (handled === 0 && !this.stopped) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, IDLE_POLL_MS);
        });
      }
    }
  }

  /** Starts a poller for each active bot in polling mode; stops those no longer wanted. */
  private async refreshPollers(): Promise<void> {
    if (this.stopped) return;
    const bots: Array<{ id: number; token: string }> = await this.db.query(
      `SELECT id, token FROM telegram_bot WHERE active AND mode = 'polling'`,
    );
    const wanted = new Map(bots.map((b) => [b.id, b.token]));
    for (const [id, running] of this.pollers) {
      if (wanted.get(id) !== running.token) {
        running.poller.stop();
        this.pollers.delete(id);
      }
    }
    for (const [id, token] of wanted) {
      if (this.pollers.has(id)) continue;
      const poller = new TelegramPoller(id, this.api(token), (e) => this.publish(e), this.logger);
      this.pollers.set(id, { token, poller, done: poller.run() });
      this.logger.info(`telegram bot ${id}: long polling`);
    }
  }
}
