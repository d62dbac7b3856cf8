import { Counter, Gauge } from 'prom-client';
import { metricsRegistry } from '@odoo-stream/observability';

/** The projector's own series on /metrics (created once per process). */
export class ProjectorMetrics {
  private static instance?: ProjectorMetrics;

  static get(): ProjectorMetrics {
    return (ProjectorMetrics.instance ??= new ProjectorMetrics());
  }

  readonly retentionArchived = new Counter({
    name: 'odoo_stream_feed_retention_archived_total',
    help: 'Processed feed rows archived by the retention job',
    registers: [metricsRegistry()],
  });
  readonly retentionDeleted = new Counter({
    name: 'odoo_stream_feed_retention_deleted_total',
    help: 'Archived feed rows deleted by the retention job',
    registers: [metricsRegistry()],
  });
  readonly retentionRuns = new Counter({
    name: 'odoo_stream_feed_retention_runs_total',
    help: 'Runs of the feed retention job, by outcome',
    labelNames: ['outcome'],
    registers: [metricsRegistry()],
  });
  readonly purgedThroughId = new Gauge({
    name: 'odoo_stream_feed_purged_through_id',
    help: 'Highest feed id deleted by retention: devices behind it must resync',
    registers: [metricsRegistry()],
  });
}
