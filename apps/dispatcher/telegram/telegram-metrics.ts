import { Counter, Histogram } from 'prom-client';
import { metricsRegistry } from '@odoo-stream/observability';

/** The Telegram sender's series on /metrics (created once per process). */
export class TelegramMetrics {
  private static instance?: TelegramMetrics;

  static get(): TelegramMetrics {
    return (TelegramMetrics.instance ??= new TelegramMetrics());
  }

  readonly messages = new Counter({
    name: 'odoo_stream_telegram_messages_total',
    help: 'Telegram messages, by kind (notification, reply, code, system, orders) and outcome (sent, failed, blocked)',
    labelNames: ['kind', 'outcome'],
    registers: [metricsRegistry()],
  });
  readonly apiLatency = new Histogram({
    name: 'odoo_stream_telegram_api_seconds',
    help: 'Duration of Telegram Bot API requests, by method',
    labelNames: ['method', 'ok'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [metricsRegistry()],
  });
}
