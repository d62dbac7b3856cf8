import { Counter, Gauge, Histogram } from 'prom-client';
import { metricsRegistry } from '@odoo-stream/observability';

/** The dispatcher's series on /metrics (created once per process). */
export class DispatcherMetrics {
  private static instance?: DispatcherMetrics;

  static get(): DispatcherMetrics {
    return (DispatcherMetrics.instance ??= new DispatcherMetrics());
  }

  readonly deliveries = new Counter({
    name: 'odoo_stream_webhook_attempts_total',
    help: 'Webhook delivery attempts, by subscriber and resulting status (sent, failed, dead)',
    labelNames: ['subscriber', 'status'],
    registers: [metricsRegistry()],
  });
  readonly latency = new Histogram({
    name: 'odoo_stream_webhook_attempt_seconds',
    help: 'Duration of webhook delivery attempts, by subscriber',
    labelNames: ['subscriber'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [metricsRegistry()],
  });
  readonly queueDepth = new Gauge({
    name: 'odoo_stream_webhook_queue_depth',
    help: 'Deliveries held by the dispatcher (in flight or waiting for a retry), by subscriber',
    labelNames: ['subscriber'],
    registers: [metricsRegistry()],
  });
}
