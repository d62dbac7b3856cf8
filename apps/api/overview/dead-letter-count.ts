import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { APP_CONFIG, AppConfig } from '@odoo-stream/config';
import { internalTopic } from '@odoo-stream/events';
import { KAFKA, SharedAdmin } from '@odoo-stream/kafka';

/** Messages on the dead-letter topic: events a projection could not apply. */
@Injectable()
export class DeadLetterCount implements OnModuleDestroy {
  private readonly admin: SharedAdmin;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(KAFKA) kafka: Kafka,
  ) {
    this.admin = new SharedAdmin(kafka);
  }

  get topic(): string {
    return internalTopic(this.config.topicPrefix, 'dead-letters');
  }

  async read(): Promise<number> {
    const admin = await this.admin.get();
    if (!(await admin.listTopics()).includes(this.topic)) return 0;
    const offsets = await admin.fetchTopicOffsets(this.topic);
    return offsets.reduce((n, p) => n + Number(BigInt(p.high) - BigInt(p.low)), 0);
  }

  onModuleDestroy(): Promise<void> {
    return this.admin.disconnect();
  }
}
