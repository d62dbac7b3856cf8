import { collectDefaultMetrics, Registry } from 'prom-client';

let registry: Registry | undefined;

/**
 * The process's Prometheus registry. Apps hosted in one process share it, so the api's
 * /metrics shows every app's series; process metrics are collected once.
 */
export function metricsRegistry(): Registry {
  if (!registry) {
    registry = new Registry();
    registry.setDefaultLabels({ service: 'odoo-stream' });
    collectDefaultMetrics({ register: registry, prefix: 'odoo_stream_' });
  }
  return registry;
}
