import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Admin, Kafka } from 'kafkajs';
import { APP_CONFIG, AppConfig } from '@odoo-stream/config';
import { internalTopic } from '@odoo-stream/events';
import { KAFKA } from '@odoo-stream/kafka';

/** Messages on the dead-letter topic: events a projection could not apply. */
@Injectable()
export class DeadLetterCount implements OnModuleDestroy {
  private admin?: Promise<Admin>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(KAFKA) private readonly kafka: Kafka,
  ) {}

  get topic(): string {
    return internalTopic(this.config.topicPrefix, 'dead-letters');
  }

  async read(): Promise<number> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })();
    this.admin.catch(() => (this.admin = undefined));
    const admin = await this.admin;
    if (!(await admin.listTopics()).includes(this.topic)) return 0;
    const offsets = await admin.fetchTopicOffsets(this.topic);
    return offsets.reduce((n, p) => n + Number(BigInt(p.high) - BigInt(p.low)), 0);
  }

  async onModuleDestroy(): Promise<void> {
    const admin = await this.admin?.catch(() => undefined);
    await admin?.disconnect();
  }
}
