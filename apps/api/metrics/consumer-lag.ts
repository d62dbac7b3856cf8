import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { Gauge } from 'prom-client';
import { APP_CONFIG, AppConfig } from '@odoo-stream/config';
import { consumerLags, KAFKA, SharedAdmin } from '@odoo-stream/kafka';
import { metricsRegistry } from '@odoo-stream/observability';

type LagSample = { group: string; topic: string; partition: number; lag: number };

/** The api instances of this process that report lag (one gauge per process). */
const sources = new Set<() => Promise<LagSample[]>>();
let gauge: Gauge | undefined;

function lagGauge(): Gauge {
  gauge ??= new Gauge({
    name: 'odoo_stream_consumer_lag_messages',
    help: "Messages not yet applied by a projection's (or subscriber's) consumer group, per partition",
    labelNames: ['group', 'topic', 'partition'],
    registers: [metricsRegistry()],
    async collect() {
      this.reset();
      for (const source of sources) {
        for (const s of await source().catch(() => [])) {
          this.set({ group: s.group, topic: s.topic, partition: String(s.partition) }, s.lag);
        }
      }
    },
  });
  return gauge;
}

/**
 * Lag as Kafka's own tools compute it (log end offset minus the group's committed offset), read
 * at scrape time for every odoo-stream group of this prefix, so it is right wherever the
 * projector runs.
 */
@Injectable()
export class ConsumerLagMetrics implements OnModuleDestroy {
  private readonly admin: SharedAdmin;
  private readonly source = () => this.sample();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(KAFKA) kafka: Kafka,
  ) {
    this.admin = new SharedAdmin(kafka);
    lagGauge();
    sources.add(this.source);
  }

  async onModuleDestroy(): Promise<void> {
    sources.delete(this.source);
    await this.admin.disconnect();
  }

  private async sample(): Promise<LagSample[]> {
    const admin = await this.admin.get();
    const samples: LagSample[] = [];
    for (const { groupId, partitions } of await consumerLags(admin, this.config.topicPrefix)) {
      for (const { topic, partition, lag } of partitions) {
        samples.push({ group: groupId, topic, partition, lag });
      }
    }
    return samples;
  }
}
