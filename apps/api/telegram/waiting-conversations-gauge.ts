import { Gauge } from 'prom-client';
import { metricsRegistry } from '@odoo-stream/observability';

let gauge: Gauge | undefined;
let count: (() => Promise<number>) | undefined;

/**
 * `odoo_stream_telegram_waiting_conversations`: customers whose last message no operator has
 * answered, counted when /metrics is read. One series per process, whichever api counts.
 */
export function exposeWaitingConversations(counter: () => Promise<number>): void {
  count = counter;
  gauge ??= new Gauge({
    name: 'odoo_stream_telegram_waiting_conversations',
    help: 'Telegram customers waiting for an operator, over the active bots',
    registers: [metricsRegistry()],
    async collect() {
      if (count) this.set(await count().catch(() => 0));
    },
  });
}
