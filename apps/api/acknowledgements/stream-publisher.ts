import { TelegramEvent, telegramEventKey } from '@odoo-stream/telegram';
import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Kafka, Producer, ProducerRecord } from 'kafkajs';
import { APP_CONFIG, AppConfig } from '@odoo-stream/config';
import { Acknowledgement, DeliveryRetry, deviceKey } from '@odoo-stream/events';
import {
  chunkByBytes,
  createOrderedProducer,
  ensureTopics,
  KAFKA,
  recordBytes,
  streamTopics,
  topicRecordBudget,
} from '@odoo-stream/kafka';

/** Where an acknowledgement landed: the projection has applied it once it is past this offset. */
export interface Written {
  projection: 'feed' | 'sync-state';
  topic: string;
  partition: number;
  offset: bigint;
}

/**
 * Writes acknowledgements to their topics (the api never writes projection rows itself), and the
 * dispatcher's retry commands. The
 * producer connects on first use, so the api starts and answers /health while Kafka is away.
 */
@Injectable()
export class StreamPublisher implements OnModuleDestroy {
  private producer?: Promise<Producer>;
  private readonly topics: ReturnType<typeof streamTopics>;
  private commandBudget?: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(KAFKA) private readonly kafka: Kafka,
  ) {
    this.topics = streamTopics(config.topicPrefix, config.capture.topicReplication);
  }

  async publish(ack: Acknowledgement): Promise<Written> {
    const feed = ack.type === 'feed.processed';
    const topic = feed ? this.topics.feedAcks.topic : this.topics.syncAcks.topic;
    const [result] = await this.send({
      topic,
      acks: -1,
      messages: [
        {
          key: feed ? ack.ack_id : deviceKey(ack.user_id, ack.device_id),
          value: JSON.stringify(ack),
        },
      ],
    });
    return {
      projection: feed ? 'feed' : 'sync-state',
      topic,
      partition: result.partition,
      offset: BigInt(result.baseOffset ?? result.offset ?? '0'),
    };
  }

  /** Retry-now commands for the dispatcher (not applied by a projection: nothing to wait for). */
  async publishRetries(retries: DeliveryRetry[]): Promise<void> {
    if (retries.length === 0) return;
    const topic = this.topics.deliveryCommands.topic;
    const messages = retries.map((r) => ({ key: r.delivery_id, value: JSON.stringify(r) }));
    // A recovery of many deliveries goes in requests the topic's size limit admits.
    await this.connected();
    this.commandBudget ??= await topicRecordBudget(this.kafka, [topic]);
    for (const chunk of chunkByBytes(messages, recordBytes, this.commandBudget)) {
      await this.send({ topic, acks: -1, messages: chunk });
    }
  }

  /** A Telegram update or operator action, once Kafka has it (acks from every replica). */
  async publishTelegram(event: TelegramEvent): Promise<void> {
    const telegramId = 'telegram_id' in event ? event.telegram_id : 0;
    await this.send({
      topic: this.topics.telegram.topic,
      acks: -1,
      messages: [{ key: telegramEventKey(event.bot_id, telegramId), value: JSON.stringify(event) }],
    });
  }

  async onModuleDestroy(): Promise<void> {
    const producer = await this.producer?.catch(() => undefined);
    await producer?.disconnect();
  }

  /**
   * One send; after a failure the producer is replaced (an idempotent producer that lost its
   * sequence numbers across a broker restart refuses every later send).
   */
  private async send(record: ProducerRecord) {
    const connecting = this.connected();
    try {
      return await (await connecting).send(record);
    } catch (error) {
      if (this.producer === connecting) this.producer = undefined;
      void connecting.then((p) => p.disconnect()).catch(() => undefined);
      throw error;
    }
  }

  private connected(): Promise<Producer> {
    this.producer ??= (async () => {
      await ensureTopics(this.kafka, [
        this.topics.feedAcks,
        this.topics.syncAcks,
        this.topics.deliveryCommands,
        this.topics.telegram,
      ]);
      const producer = createOrderedProducer(this.kafka);
      await producer.connect();
      return producer;
    })();
    // A failed connection is tried again by the next request.
    this.producer.catch(() => (this.producer = undefined));
    return this.producer;
  }
}
