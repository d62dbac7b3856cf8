import { Batch, Consumer, Kafka } from 'kafkajs';
import { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AppConfig } from '@odoo-stream/config';
import { SubscriberRecord } from '@odoo-stream/db';
import {
  consumerGroup,
  deliveryId,
  DeliveryRetry,
  isReplayed,
  DeliveryStatus,
  ChangeEvent,
  JsonImage,
} from '@odoo-stream/events';
import {
  ControlChannel,
  DurableTopicWriter,
  retryRetriable,
  streamTopics,
  whenConsumerStops,
} from '@odoo-stream/kafka';
import { ModelEventDecoder } from '@odoo-stream/schema-registry';
import { AttemptVerdict, signatureHeaders, signingKeysOf } from '@odoo-stream/webhooks';
import { DeliveryBuilder, subscriptionRules, withReferences } from './delivery/delivery-builder';
import { DeliveryJob, DeliveryScheduler } from './delivery/delivery-scheduler';
import { PartitionProgress } from './delivery/partition-progress';
import { BatchCollector, BatchJob } from './delivery/batch-collector';
import { DeliveryRecords } from './delivery/delivery-records';
import { startOffsets } from './delivery/start-offsets';
import { OdooRecordNames } from '@odoo-stream/odoo';
import { sendWebhook, SendResult } from '@odoo-stream/webhooks';
import { DispatcherMetrics } from './dispatcher-metrics';

const COMMIT_EVERY_MS = 1000;

/** `<prefix>.dispatcher.subscriber-<id>`: by id, so that renaming a subscriber keeps its offsets. */
export function subscriberGroup(prefix: string, subscriberId: number): string {
  return consumerGroup(prefix, 'dispatcher', `subscriber-${subscriberId}`);
}
/**
 * A dispatcher killed without leaving its groups holds their partitions until the broker expires
 * its session: 10 s (Kafka's own client default before 3.0) instead of kafkajs's 30 s, as a
 * worker's batch handler only queues jobs and never blocks the heartbeat for long.
 */
export const DISPATCHER_SESSION_TIMEOUT_MS = 10_000;
/** Jobs held in memory before the consumer pauses (a slow endpoint never fills the memory). */
const MAX_QUEUED = 2000;

export interface WorkerEdges {
  kafka: Kafka;
  /** Attempt records and dead letters: retried until written, never dropped. */
  log: DurableTopicWriter;
  dataSource: DataSource;
  decoder: ModelEventDecoder;
  config: AppConfig;
  logger: Logger;
  /** Names of many2one targets (from the Odoo database when it is configured). */
  names?: OdooRecordNames;
  /** The replays of this subscriber's group (absent: no replay is known). */
  control?: ControlChannel;
  /** The subscriber is to be disabled (410 Gone, or failing for too long). */
  disable(subscriber: SubscriberRecord, reason: string): Promise<void>;
}

/**
 * One subscriber: its own consumer group (`<prefix>.dispatcher.subscriber-<id>`) over the model
 * topics, so a slow or dead endpoint never delays another subscriber or any projection.
 */
export class SubscriberWorker {
  private consumer?: Consumer;
  private readonly scheduler: DeliveryScheduler;
  private readonly builder: DeliveryBuilder;
  private readonly batches?: BatchCollector;
  private readonly progress = new Map<string, PartitionProgress>();
  /** The offsets last committed, by `topic/partition`. */
  private readonly committed = new Map<string, string>();
  private commitTimer?: NodeJS.Timeout;
  private paused = false;
  /** Its consumer stopped for good: the dispatcher replaces the worker. */
  stoppedOn?: Error;
  private failingSince: number | null;
  readonly groupId: string;
  private readonly records: DeliveryRecords;
  private readonly metrics = DispatcherMetrics.get();

  constructor(
    readonly subscriber: SubscriberRecord,
    private readonly modelTopicNames: string[],
    private readonly edges: WorkerEdges,
    /** Where a partition without a committed offset starts: the subscriber's creation. */
    private readonly startAtMs = subscriber.created_at.getTime(),
    /**
     * After a change of subscriptions: read again from the change, so that events the previous
     * rules passed over meanwhile are judged by the new ones (sent ones are not sent twice).
     */
    private readonly rewindToMs?: number,
  ) {
    const { config } = edges;
    this.groupId = subscriberGroup(config.topicPrefix, subscriber.id);
    const topics = streamTopics(config.topicPrefix, config.capture.topicReplication);
    this.records = new DeliveryRecords(
      edges.log,
      { attempts: topics.deliveryAttempts.topic, deadLetters: topics.deadLetters.topic },
      subscriber.id,
      this.groupId,
      edges.logger,
    );
    this.failingSince = subscriber.failing_since?.getTime() ?? null;
    this.builder = new DeliveryBuilder(subscriber, subscriptionRules(subscriber), config.feed);
    if (subscriber.batch_size > 0) {
      this.batches = new BatchCollector(
        subscriber.batch_size,
        subscriber.batch_timeout_ms,
        (batch) => this.submit(batch),
      );
    }
    this.scheduler = new DeliveryScheduler(
      {
        ordered: subscriber.ordered,
        maxConcurrency: subscriber.max_concurrency,
        retrySchedule: subscriber.retry_schedule,
        ratePerMinute: subscriber.rate_limit_per_minute,
      },
      {
        send: (job, attempt) => this.send(job, attempt),
        recordAttempt: (job, attempt, verdict, result) =>
          this.recordAttempt(job, attempt, verdict, result),
        deadLetter: (job, result) => this.records.deadLetter(job, result.errorMessage ?? 'failed'),
        settle: (job) => this.settle(job),
        gone: (job, result) =>
          void this.edges.disable(
            subscriber,
            `the endpoint answered 410 Gone (${result.excerpt?.slice(0, 200) ?? ''})`,
          ),
        failed: (error) =>
          this.edges.logger.error({ err: error, subscriber: subscriber.id }, 'delivery failed'),
      },
    );
  }

  get topicsRead(): string[] {
    return this.modelTopicNames;
  }

  async start(): Promise<void> {
    if (this.modelTopicNames.length === 0) return;
    const seeks = await startOffsets(this.edges.kafka, {
      groupId: this.groupId,
      topics: this.modelTopicNames,
      startAtMs: this.startAtMs,
      rewindToMs: this.rewindToMs,
    });
    const consumer = this.edges.kafka.consumer({
      groupId: this.groupId,
      maxWaitTimeInMs: 100,
      allowAutoTopicCreation: false,
      sessionTimeout: DISPATCHER_SESSION_TIMEOUT_MS,
      heartbeatInterval: 2000,
    });
    whenConsumerStops(consumer, this.edges.logger, `subscriber ${this.subscriber.id}`, (error) => {
      this.stoppedOn = error;
    });
    await consumer.connect();
    await retryRetriable(() =>
      consumer.subscribe({ topics: this.modelTopicNames, fromBeginning: true }),
    );
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => this.take(batch),
    });
    for (const seek of seeks) consumer.seek(seek);
    this.consumer = consumer;
    this.commitTimer = setInterval(() => void this.commit(), COMMIT_EVERY_MS);
    this.edges.logger.info(
      { subscriber: this.subscriber.id, group: this.groupId, topics: this.modelTopicNames },
      `delivering to subscriber ${this.subscriber.id} (${this.subscriber.name})`,
    );
  }

  async stop(): Promise<void> {
    clearInterval(this.commitTimer);
    this.batches?.stop();
    this.scheduler.stop();
    await this.commit();
    await this.consumer?.disconnect();
  }

  private submit(job: DeliveryJob): void {
    if (job.attemptsMade === 0) this.records.pending(job);
    this.scheduler.submit(job);
  }

  /** Retry now / recover: one more attempt, continuing the delivery's attempt count. */
  retryNow(retry: DeliveryRetry): void {
    this.edges.logger.info(
      { subscriber: this.subscriber.id, delivery: retry.delivery_id, attempt: retry.attempts + 1 },
      `sending delivery ${retry.delivery_id} again on request (attempt ${retry.attempts + 1})`,
    );
    this.scheduler.submit({
      deliveryId: retry.delivery_id,
      recordKey: `${retry.model}/${retry.record_id}`,
      eventId: retry.event_id,
      model: retry.model,
      recordId: retry.record_id,
      event: retry.event,
      body: retry.body,
      // Not from a model topic: settling it moves no offset.
      topic: '',
      partition: -1,
      offset: '0',
      attemptsMade: retry.attempts,
    });
  }

  private async take(batch: Batch): Promise<void> {
    const key = `${batch.topic}/${batch.partition}`;
    let progress = this.progress.get(key);
    if (!progress) this.progress.set(key, (progress = new PartitionProgress()));
    const changes: Array<{ offset: string; event: ChangeEvent; values: JsonImage | null }> = [];
    for (const message of batch.messages) {
      progress.track(message.offset);
      const change = message.value ? await this.decode(batch, message.offset, message.value) : null;
      if (change) changes.push(change);
      else progress.settle(message.offset);
    }
    // many2one names for the whole batch in a few queries.
    const names = this.edges.names;
    const targets =
      names && changes.length > 0
        ? await names.resolve(
            changes[0].event.model,
            changes.flatMap((c) => (c.values ? [c.values] : [])),
          )
        : new Map<string, string>();
    const jobs: DeliveryJob[] = [];
    for (const change of changes) {
      const job = await this.prepare(batch, change.offset, change.event, change.values, targets);
      if (job) jobs.push(job);
      else progress.settle(change.offset);
    }
    const window = this.edges.control?.state.replayWindowOf(this.groupId);
    for (const job of jobs) {
      if (!window || !isReplayed(window, job.topic, job.partition, job.offset)) continue;
      job.replayId = window.replayId;
      if (window.newDeliveryIds) {
        job.deliveryId = deliveryId(this.subscriber.id, `${job.eventId}/${window.replayId}`);
      }
    }
    // Deliveries already sent or dead before a restart are not sent again (unless a replay asks
    // for them, once per replay); a failed one continues its retry schedule.
    const known = await this.knownDeliveries(jobs.map((j) => j.deliveryId));
    for (const job of jobs) {
      const before = known.get(job.deliveryId);
      const done = before?.status === 'sent' || before?.status === 'dead';
      if (done && (!job.replayId || before?.replay_id === job.replayId)) this.settle(job);
      else {
        job.attemptsMade = before?.attempts ?? 0;
        // A retry keeps the time it was due at across restarts.
        if (before?.status === 'failed' && before.next_retry_at) {
          job.dueAt = before.next_retry_at.getTime();
        }
        if (this.batches) this.batches.add(job);
        else this.submit(job);
      }
    }
    this.metrics.queueDepth.set({ subscriber: String(this.subscriber.id) }, this.scheduler.queued);
    if (this.scheduler.queued > MAX_QUEUED && !this.paused) {
      this.paused = true;
      this.consumer?.pause(this.modelTopicNames.map((topic) => ({ topic })));
    }
  }

  /** The change event and its record's values; null (after a dead letter) when undecodable. */
  private async decode(batch: Batch, offset: string, value: Buffer) {
    try {
      const { event, toJson } = await this.edges.decoder.decode(value);
      const image = event.op === 'unlink' ? event.before : event.after;
      return { offset, event, values: image ? toJson(image) : null };
    } catch (error) {
      await this.records.deadLetterRaw(
        `${batch.topic}/${batch.partition}@${offset}`,
        value,
        (error as Error).message,
      );
      return null;
    }
  }

  private async prepare(
    batch: Batch,
    offset: string,
    event: ChangeEvent,
    values: JsonImage | null,
    targets: ReadonlyMap<string, string>,
  ): Promise<DeliveryJob | null> {
    const names = this.edges.names;
    const plan = this.builder.plan(
      event,
      values
        ? withReferences(values, targets, (model, id) => names?.nameOf(model, id) ?? null)
        : null,
    );
    if (plan.kind === 'skip') return null;
    const job: DeliveryJob = {
      deliveryId: plan.deliveryId,
      recordKey: `${event.model}/${event.record_id}`,
      eventId: event.event_id,
      model: event.model,
      recordId: event.record_id,
      event: event.op,
      body: plan.kind === 'send' ? plan.body : null,
      topic: batch.topic,
      partition: batch.partition,
      offset,
      attemptsMade: 0,
    };
    if (plan.kind === 'unrenderable') {
      await this.recordAttempt(
        job,
        1,
        { outcome: 'dead' },
        {
          durationMs: 0,
          errorClass: 'template',
          errorMessage: plan.reason,
        },
      );
      await this.records.deadLetter(job, plan.reason);
      return null;
    }
    return job;
  }

  private async send(job: DeliveryJob, attempt: number): Promise<SendResult> {
    const body = JSON.stringify(job.body);
    const now = new Date();
    const headers = signatureHeaders(
      signingKeysOf(this.subscriber, now, this.edges.config.webhooks.rotationOverlapMs),
      job.deliveryId,
      body,
      now,
    );
    const result = await sendWebhook(
      this.subscriber,
      body,
      headers,
      this.edges.config.webhooks.allowPrivateEndpoints,
    );
    this.metrics.latency.observe(
      { subscriber: String(this.subscriber.id) },
      result.durationMs / 1000,
    );
    const ok = result.status !== undefined && result.status >= 200 && result.status < 300;
    if (ok) {
      this.failingSince = null;
      if (this.subscriber.preset === 'g-assistant') {
        const what = job.model === 'crm.lead' ? 'lead' : 'sale order';
        this.edges.logger.info(
          `Successfully sent webhook for ${what} ${job.recordId} to G-Assistant`,
        );
      }
    } else {
      this.failingSince ??= Date.now();
      if (Date.now() - this.failingSince > this.edges.config.webhooks.autoDisableAfterMs) {
        void this.edges.disable(
          this.subscriber,
          `every attempt failed since ${new Date(this.failingSince).toISOString()} (last: ${result.errorMessage}, attempt ${attempt})`,
        );
      }
    }
    return result;
  }

  private async recordAttempt(
    job: DeliveryJob,
    attempt: number,
    verdict: AttemptVerdict,
    result: SendResult,
  ): Promise<void> {
    const status = await this.records.attempt(job, attempt, verdict, result);
    this.metrics.deliveries.inc({ subscriber: String(this.subscriber.id), status });
  }

  private settle(job: DeliveryJob): void {
    for (const member of (job as BatchJob).members ?? []) this.settle(member);
    this.progress.get(`${job.topic}/${job.partition}`)?.settle(job.offset);
    if (this.paused && this.scheduler.queued < MAX_QUEUED / 2) {
      this.paused = false;
      this.consumer?.resume(this.modelTopicNames.map((topic) => ({ topic })));
    }
  }

  private async knownDeliveries(ids: string[]) {
    type Known = {
      status: DeliveryStatus;
      attempts: number;
      next_retry_at: Date | null;
      replay_id: string | null;
    };
    const known = new Map<string, Known>();
    if (ids.length === 0) return known;
    const rows: Array<Known & { delivery_id: string }> = await this.edges.dataSource.query(
      `SELECT delivery_id, status, attempts, next_retry_at, replay_id FROM webhook_delivery
       WHERE delivery_id = ANY($1)`,
      [ids],
    );
    for (const row of rows) known.set(row.delivery_id, row);
    return known;
  }

  private async commit(): Promise<void> {
    const offsets = [...this.progress.entries()].flatMap(([key, progress]) => {
      const offset = progress.commitOffset();
      const [topic, partition] = [
        key.slice(0, key.lastIndexOf('/')),
        key.slice(key.lastIndexOf('/') + 1),
      ];
      const metadata = new Date().toISOString();
      // Only what moved: the commit's time says when the subscriber last made progress.
      if (offset === null || this.committed.get(key) === offset) return [];
      return [{ topic, partition: Number(partition), offset, metadata }];
    });
    if (offsets.length === 0 || !this.consumer) return;
    await this.consumer
      .commitOffsets(offsets)
      .then(() => {
        for (const o of offsets) this.committed.set(`${o.topic}/${o.partition}`, o.offset);
      })
      .catch((error: Error) =>
        this.edges.logger.warn(
          { err: error, group: this.groupId },
          'offset commit failed; will retry',
        ),
      );
  }
}
