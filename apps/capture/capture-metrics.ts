import { Counter, Gauge } from 'prom-client';
import { metricsRegistry } from '@odoo-stream/observability';

/** Capture's series on /metrics (created once per process). */
export class CaptureMetrics {
  private static instance?: CaptureMetrics;

  static get(): CaptureMetrics {
    return (CaptureMetrics.instance ??= new CaptureMetrics());
  }

  readonly events = new Counter({
    name: 'odoo_stream_capture_events_total',
    help: 'Change events produced to Kafka, by model and op',
    labelNames: ['model', 'op'],
    registers: [metricsRegistry()],
  });
  readonly transactions = new Counter({
    name: 'odoo_stream_capture_transactions_total',
    help: 'Committed transactions on tracked tables read from the WAL',
    registers: [metricsRegistry()],
  });
  readonly lagBytes = new Gauge({
    name: 'odoo_stream_capture_lag_bytes',
    help: "WAL bytes between the server's position and the position confirmed durable in Kafka",
    registers: [metricsRegistry()],
  });
  readonly lagSeconds = new Gauge({
    name: 'odoo_stream_capture_lag_seconds',
    help: 'Seconds between the commit of the last captured transaction and its capture',
    registers: [metricsRegistry()],
  });
  readonly snapshotRows = new Gauge({
    name: 'odoo_stream_capture_snapshot_rows',
    help: 'Rows read by the initial snapshot, by model',
    labelNames: ['model'],
    registers: [metricsRegistry()],
  });
}
