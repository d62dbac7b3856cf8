import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Admin, Kafka } from 'kafkajs';
import { AppConfig } from '@odoo-stream/config';
import { createKafkaClient } from '@odoo-stream/kafka';

/** Kafka is ready when the cluster answers a metadata request within the timeout. */
@Injectable()
export class KafkaHealthIndicator implements OnModuleDestroy {
  private admin?: Admin;
  /** Its own client, without retries or error logs: a probe answers quickly and quietly. */
  private readonly kafka: Kafka;

  constructor(
    config: ConfigService<AppConfig, true>,
    private readonly health: HealthIndicatorService,
  ) {
    this.kafka = createKafkaClient({ kafka: config.get('kafka', { infer: true }) }, { retries: 0 });
  }

  async isReady(key: string, timeoutMs = 3000) {
    const indicator = this.health.check(key);
    try {
      const cluster = await withTimeout(this.describeCluster(), timeoutMs);
      return indicator.up({ brokers: cluster.brokers.length });
    } catch (error) {
      await this.reset();
      return indicator.down({ message: `Kafka is not reachable: ${(error as Error).message}` });
    }
  }

  async onModuleDestroy() {
    await this.reset();
  }

  private async describeCluster() {
    if (!this.admin) {
      this.admin = this.kafka.admin();
      await this.admin.connect();
    }
    return this.admin.describeCluster();
  }

  private async reset() {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.disconnect().catch(() => undefined);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
