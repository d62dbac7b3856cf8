import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Admin, Consumer, Kafka } from 'kafkajs';
import { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@odoo-stream/config';
import { loadSubscribers, SubscriberRecord } from '@odoo-stream/db';
import { consumerGroup, DeliveryRetry, modelTopics, parseDeliveryRetry } from '@odoo-stream/events';
import {
  ControlChannel,
  DurableTopicWriter,
  ensureTopics,
  KAFKA,
  retryRetriable,
  streamTopics,
  whenConsumerStops,
} from '@odoo-stream/kafka';
import { APP_LOGGER, markDegraded, markHealthy } from '@odoo-stream/runtime';
import { ModelEventDecoder, SCHEMA_REGISTRY, SchemaRegistry } from '@odoo-stream/schema-registry';
import {
  DISPATCHER_SESSION_TIMEOUT_MS,
  subscriberGroup,
  SubscriberWorker,
} from './subscriber-worker';
import { OdooRecordNames } from '@odoo-stream/odoo';
import { checkEndpoint, EndpointRefused } from '@odoo-stream/webhooks';
import { Pool } from 'pg';

const RETRY_COMMAND_TTL_MS = 15 * 60_000;

/**
 * Keeps one SubscriberWorker per enabled subscriber, following the subscriber table (read again
 * every DISPATCHER_SUBSCRIBER_REFRESH_MS) and the model topics that exist.
 */
@Injectable()
export class DispatcherService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly workers = new Map<number, SubscriberWorker>();
  private decoder: ModelEventDecoder;
  private refreshTimer?: NodeJS.Timeout;
  private refreshing = Promise.resolve();
  private commands?: Consumer;
  private names?: OdooRecordNames;
  private log?: DurableTopicWriter;
  private admin?: Admin;
  private stopped = false;
  private control?: ControlChannel;
  /** Each subscriber's group, registered with the control channel once. */
  private readonly controlled = new Map<string, () => void>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(SCHEMA_REGISTRY) registry: SchemaRegistry,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    private readonly dataSource: DataSource,
  ) {
    this.decoder = new ModelEventDecoder(registry);
  }

  async onApplicationBootstrap(): Promise<void> {
    const topics = streamTopics(this.config.topicPrefix, this.config.capture.topicReplication);
    await ensureTopics(this.kafka, [
      topics.deliveryAttempts,
      topics.deliveryCommands,
      topics.deadLetters,
      topics.alerts,
    ]);
    if (this.config.odooDatabaseUrl) {
      this.names = new OdooRecordNames(
        new Pool({ connectionString: this.config.odooDatabaseUrl, max: 2 }),
        this.logger,
      );
    }
    this.log = new DurableTopicWriter(
      this.kafka,
      [topics.deliveryAttempts.topic, topics.deadLetters.topic, topics.alerts.topic],
      this.logger,
      (reason) =>
        reason === null ? markHealthy('dispatcher') : markDegraded('dispatcher', reason),
    );
    await this.log.start();
    this.control = new ControlChannel(
      this.kafka,
      this.config.topicPrefix,
      this.logger,
      this.config.capture.topicReplication,
    );
    await this.control.start();
    await this.refresh();
    void this.warnRefusedEndpoints().catch((error: Error) =>
      this.logger.warn({ err: error }, "could not check the subscribers' endpoints"),
    );
    await this.followRetries(topics.deliveryCommands.topic);
    this.refreshTimer = setInterval(
      () => void this.enqueue(() => this.refresh()).catch(() => undefined),
      this.config.webhooks.subscriberRefreshMs,
    );
    this.logger.info({ subscribers: this.workers.size }, 'dispatcher running');
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.refreshTimer);
    // No command is carried out while the workers stop.
    await this.control?.stop();
    await this.refreshing;
    await this.commands?.disconnect();
    await Promise.all([...this.workers.values()].map((w) => w.stop()));
    this.workers.clear();
    for (const unregister of this.controlled.values()) unregister();
    await this.log?.close();
    await this.names?.close();
    await this.admin?.disconnect();
  }

  /** Retry-now and recover commands from the api, handed to the subscriber's worker. */
  private async followRetries(topic: string): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: consumerGroup(this.config.topicPrefix, 'dispatcher', 'commands'),
      maxWaitTimeInMs: 100,
      sessionTimeout: DISPATCHER_SESSION_TIMEOUT_MS,
      heartbeatInterval: 2000,
    });
    whenConsumerStops(consumer, this.logger, 'retry commands', () => {
      if (this.stopped) return;
      setTimeout(() => void this.followRetriesAgain(topic), 1000);
    });
    await consumer.connect();
    await retryRetriable(() => consumer.subscribe({ topics: [topic], fromBeginning: true }));
    await consumer.run({
      eachMessage: async ({ message }) => {
        let retry: DeliveryRetry;
        try {
          retry = parseDeliveryRetry(message.value);
        } catch (error) {
          this.logger.warn(
            { err: error, offset: message.offset },
            'ignored a malformed retry command',
          );
          return;
        }
        // A command older than this predates the dispatcher's first start on this topic.
        if (Date.now() - Date.parse(retry.at) > RETRY_COMMAND_TTL_MS) return;
        const worker = this.workers.get(retry.subscriber_id);
        if (worker) worker.retryNow(retry);
        else {
          this.logger.warn(
            { subscriber: retry.subscriber_id, delivery: retry.delivery_id },
            'retry for a subscriber that is disabled or has no subscriptions: not sent',
          );
        }
      },
    });
    this.commands = consumer;
  }

  private async followRetriesAgain(topic: string): Promise<void> {
    await this.commands?.disconnect().catch(() => undefined);
    this.commands = undefined;
    if (this.stopped) return;
    await this.followRetries(topic).catch((error: Error) => {
      this.logger.warn({ err: error }, 'retry commands: consumer did not start; trying again');
      setTimeout(() => void this.followRetriesAgain(topic), 5000);
    });
  }

  /** Refreshes one after another (the timer, a resume). */
  private enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.refreshing.then(work);
    this.refreshing = next.catch((error: Error) =>
      this.logger.warn({ err: error }, 'subscriber refresh failed; trying again'),
    );
    return next;
  }

  /**
   * A replay pauses a subscriber's group: its worker stops (leaving the group) and none starts
   * until the resume, when the next refresh starts one from the group's new offsets.
   */
  private controlGroup(id: number, groupId: string): void {
    if (this.controlled.has(groupId) || !this.control) return;
    this.controlled.set(
      groupId,
      this.control.register(groupId, {
        pause: () =>
          this.enqueue(async () => {
            const worker = this.workers.get(id);
            if (!worker) return;
            this.workers.delete(id);
            await worker.stop();
          }),
        resume: () => this.enqueue(() => this.refresh()),
      }),
    );
  }

  /** Starts, restarts (changed settings, topics, or a consumer that stopped) and stops workers to match the table. */
  private async refresh(): Promise<void> {
    if (this.stopped) return;
    // A subscriber without subscriptions has nothing to deliver, and no worker.
    const subscribers = (await loadSubscribers(this.dataSource, { enabledOnly: true })).filter(
      (s) => s.subscriptions.length > 0,
    );
    // One admin connection for the service's life: the list is read every refresh.
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      if (this.stopped) return admin.disconnect();
      this.admin = admin;
    }
    const topics = modelTopics(this.config.topicPrefix, await this.admin.listTopics()).sort();
    const wanted = new Map(subscribers.map((s) => [s.id, s]));
    const changed = new Set<number>();
    for (const [id, worker] of this.workers) {
      const now = wanted.get(id);
      if (
        !now ||
        worker.stoppedOn ||
        !sameSettings(worker.subscriber, now) ||
        worker.topicsRead.join() !== topics.join()
      ) {
        await worker.stop();
        this.workers.delete(id);
        if (now && !worker.stoppedOn) changed.add(id);
      }
    }
    for (const subscriber of subscribers) {
      if (this.workers.has(subscriber.id) || this.stopped) continue;
      const groupId = subscriberGroup(this.config.topicPrefix, subscriber.id);
      this.controlGroup(subscriber.id, groupId);
      if (this.control?.isPaused(groupId)) continue;
      const worker = new SubscriberWorker(
        subscriber,
        topics,
        {
          kafka: this.kafka,
          log: this.log as DurableTopicWriter,
          dataSource: this.dataSource,
          decoder: this.decoder,
          config: this.config,
          logger: this.logger,
          names: this.names,
          control: this.control,
          disable: (s, reason) => this.disable(s, reason),
        },
        subscriber.created_at.getTime(),
        changed.has(subscriber.id) ? settingsChangedAt(subscriber) : undefined,
      );
      await worker.start();
      this.workers.set(subscriber.id, worker);
    }
  }

  /**
   * Said once at start: a subscriber whose endpoint this dispatcher refuses (a private address
   * without ALLOW_PRIVATE_ENDPOINTS) would otherwise only show failed deliveries.
   */
  private async warnRefusedEndpoints(): Promise<void> {
    const subscribers = await loadSubscribers(this.dataSource, { enabledOnly: true });
    const allowPrivate = this.config.webhooks.allowPrivateEndpoints;
    for (const s of subscribers) {
      try {
        await checkEndpoint(s.endpoint_url, { allowPrivate });
      } catch (error) {
        if (!(error instanceof EndpointRefused)) throw error;
        this.logger.warn(
          { subscriber: s.id },
          `subscriber ${s.id} (${s.name}): every delivery will be refused: ${error.message}`,
        );
      }
    }
  }

  /** 410 Gone or failing for too long: the subscriber is disabled, and an alert is produced. */
  private async disable(subscriber: SubscriberRecord, reason: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE webhook_subscriber SET enabled = false, disabled_reason = $2, updated_at = now()
       WHERE id = $1 AND enabled`,
      [subscriber.id, reason],
    );
    const alert = {
      type: 'subscriber.disabled',
      subscriber_id: subscriber.id,
      name: subscriber.name,
      reason,
      at: new Date().toISOString(),
    };
    this.logger.warn(alert, `subscriber ${subscriber.id} (${subscriber.name}) disabled: ${reason}`);
    const topics = streamTopics(this.config.topicPrefix);
    await this.log?.write(topics.alerts.topic, {
      key: String(subscriber.id),
      value: JSON.stringify(alert),
    });
  }
}

/** When the subscriber or one of its subscriptions last changed. */
function settingsChangedAt(s: SubscriberRecord): number {
  return Math.max(s.updated_at.getTime(), ...s.subscriptions.map((r) => r.created_at.getTime()));
}

function sameSettings(a: SubscriberRecord, b: SubscriberRecord): boolean {
  return (
    a.updated_at.getTime() === b.updated_at.getTime() &&
    JSON.stringify(a.subscriptions) === JSON.stringify(b.subscriptions)
  );
}
