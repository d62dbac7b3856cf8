import { percentile } from './bench-result';

/**
 * What odoo-stream is measured against: the Odoo add-on it replaces, whose cron ran once a minute
 * and sent at most 100 events a run (a change waited 30 s on average, 60 s at worst).
 */
export const ADDON_AVERAGE_LATENCY_MS = 30_000;

/** Latency figures (p50, p99, max) of `latenciesMs`, and the ratio to the add-on's wait. */
export function latencyLines(what: string, latenciesMs: number[]): string[] {
  const at = (p: number) => percentile(latenciesMs, p);
  return [
    `  ${what}: p50 ${at(50).toFixed(0)} ms, p99 ${at(99).toFixed(0)} ms, max ${Math.max(...latenciesMs).toFixed(0)} ms`,
    `  ratio to the add-on's average cron wait (30 s): ${(ADDON_AVERAGE_LATENCY_MS / at(50)).toFixed(0)}x sooner at p50`,
  ];
}
