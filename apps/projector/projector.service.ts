import { EventIndexProjection } from './event-index/event-index-projection';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Kafka, Producer } from 'kafkajs';
import { Pool } from 'pg';
import { raiseFeedIds } from '@odoo-stream/db';
import { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@odoo-stream/config';
import { consumerGroup, internalTopic, SYNC_ACK_SCHEMA } from '@odoo-stream/events';
import {
  ControlChannel,
  createOrderedProducer,
  ensureTopics,
  KAFKA,
  streamTopics,
} from '@odoo-stream/kafka';
import { OdooRecordNames } from '@odoo-stream/odoo';
import { APP_LOGGER } from '@odoo-stream/runtime';
import { FeedProjection } from './feed/feed-projection';
import {
  ConfluentDecoder,
  ModelEventDecoder,
  SCHEMA_REGISTRY,
  SchemaRegistry,
  subjectFor,
} from '@odoo-stream/schema-registry';
import { DeadLetterSink } from './framework/dead-letter-sink';
import { Projection } from './framework/projection';
import { ProjectionRunner } from './framework/projection-runner';
import { ProjectorMetrics } from './projector-metrics';
import { FeedRetention } from './retention/feed-retention';
import { EventIndexRetention } from './retention/event-index-retention';
import { SyncStateProjection } from './sync-state/sync-state-projection';
import { DeliveriesProjection } from './deliveries/deliveries-projection';
import { TelegramProjection } from './telegram/telegram-projection';

/** New model topics (a model tracked later) are picked up within this time. */
const TOPIC_REFRESH_MS = 10_000;

/** Runs the feed and sync-state projections and the feed's retention job. */
@Injectable()
export class ProjectorService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly runners: Array<ProjectionRunner<unknown>> = [];
  private producer?: Producer;
  private users?: OdooRecordNames;
  private retentionTimer?: NodeJS.Timeout;
  private control?: ControlChannel;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(SCHEMA_REGISTRY) private readonly registry: SchemaRegistry,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const prefix = this.config.topicPrefix;
    const topics = streamTopics(prefix, this.config.capture.topicReplication);
    await ensureTopics(this.kafka, Object.values(topics));
    // Documents the acknowledgement topic for other producers (examples/python).
    await this.registry.register(
      subjectFor(internalTopic(prefix, 'sync-acks'), 'value'),
      SYNC_ACK_SCHEMA,
    );
    this.producer = createOrderedProducer(this.kafka);
    await this.producer.connect();
    this.users = this.config.odooDatabaseUrl
      ? new OdooRecordNames(
          new Pool({ connectionString: this.config.odooDatabaseUrl, max: 2 }),
          this.logger,
        )
      : undefined;
    const projections = buildProjections(this.config, this.registry, this.users);
    this.control = new ControlChannel(
      this.kafka,
      prefix,
      this.logger,
      this.config.capture.topicReplication,
    );
    await this.control.start();
    if (this.config.feed.idsAfter > 0) {
      await raiseFeedIds(this.dataSource, this.config.feed.idsAfter);
    }
    for (const projection of projections) {
      const groupId = consumerGroup(prefix, 'projector', projection.name);
      const runner = new ProjectionRunner(
        this.kafka,
        this.dataSource,
        projection,
        new DeadLetterSink(this.producer, topics.deadLetters.topic, groupId),
        this.logger,
        { groupId, topicRefreshMs: TOPIC_REFRESH_MS, control: this.control },
      );
      await runner.start();
      this.runners.push(runner);
    }
    this.scheduleRetention();
    this.logger.info(
      { projections: projections.map((p) => p.name) },
      `projector running: ${projections.map((p) => p.name).join(', ')}`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.retentionTimer);
    // No command is carried out while the runners stop.
    await this.control?.stop();
    await Promise.all(this.runners.map((r) => r.stop()));
    await this.producer?.disconnect();
    await this.users?.close();
  }

  private scheduleRetention(): void {
    const retention = new FeedRetention(this.dataSource, this.config.feed);
    const eventIndex = new EventIndexRetention(this.dataSource, this.config.feed.eventIndexDays);
    const metrics = ProjectorMetrics.get();
    const run = async () => {
      try {
        const result = await retention.run();
        metrics.retentionArchived.inc(result.archived);
        metrics.retentionDeleted.inc(result.deleted);
        metrics.purgedThroughId.set(result.purgedThroughId);
        metrics.retentionRuns.inc({ outcome: 'ok' });
        if (result.archived + result.deleted > 0) this.logger.info(result, 'feed retention ran');
        const events = await eventIndex.run();
        if (events > 0) this.logger.info({ deleted: events }, 'event index retention ran');
      } catch (error) {
        metrics.retentionRuns.inc({ outcome: 'failed' });
        this.logger.warn({ err: error }, 'feed retention failed; trying again next interval');
      }
      this.retentionTimer = setTimeout(run, this.config.feed.retentionIntervalMs);
    };
    this.retentionTimer = setTimeout(run, Math.min(this.config.feed.retentionIntervalMs, 30_000));
  }
}

/** The projections, as the projector runs them and a rebuild fills them again. */
export function buildProjections(
  config: AppConfig,
  registry: SchemaRegistry,
  users?: OdooRecordNames,
): Array<Projection<unknown>> {
  const prefix = config.topicPrefix;
  return [
    new FeedProjection(prefix, config.feed, new ModelEventDecoder(registry), users),
    new SyncStateProjection(prefix, new ConfluentDecoder(registry)),
    new DeliveriesProjection(prefix),
    new TelegramProjection(prefix, new ModelEventDecoder(registry)),
    new EventIndexProjection(prefix, new ConfluentDecoder(registry)),
  ] as Array<Projection<unknown>>;
}
