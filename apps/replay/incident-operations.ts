import { Admin, Kafka, Producer } from 'kafkajs';
import { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { ControlAuthor, RebuildRecord, ReplayRecord } from '@odoo-stream/events';
import { ControlChannel, createOrderedProducer, streamTopics } from '@odoo-stream/kafka';
import { DeadLetterSink } from '../projector/framework/dead-letter-sink';
import { Projection } from '../projector/framework/projection';
import { CatchUpProgress, watchCatchUp } from './catch-up';
import { findConsumer, projectionNamed } from './consumer-catalog';
import { ConsumerView, listConsumers } from './consumer-listing';
import { ProjectionRebuild, RebuildOptions } from './projection-rebuild';
import { executeReplay, ReplayOptions } from './replay-execution';
import { planReplay, ReplayPlan, ReplayScope, scopedTopics } from './replay-planner';
import { parseReplayTarget, plannedCounts, ReplayRefused, TargetOptions } from './replay-target';

/** A plan as the command prints it with --json and the API answers it. */
export interface ReplayPlanView {
  consumer: string;
  group: string;
  target: string;
  partitions: Array<{
    topic: string;
    partition: number;
    current: string | null;
    next: string;
    end: string;
    /** Events processed again (the new offset is behind the current one). */
    again: string;
    /** Events passed over (the new offset is ahead). */
    skipped: string;
  }>;
  again: string;
  skipped: string;
}

export function planView(plan: ReplayPlan, target: string): ReplayPlanView {
  let again = 0n;
  let skipped = 0n;
  const partitions = plan.partitions.map((p) => {
    const counts = plannedCounts(p);
    again += counts.again;
    skipped += counts.skipped;
    return {
      topic: p.topic,
      partition: p.partition,
      current: p.current === null ? null : p.current.toString(),
      next: p.next.toString(),
      end: p.end.toString(),
      again: counts.again.toString(),
      skipped: counts.skipped.toString(),
    };
  });
  return {
    consumer: plan.consumer.name,
    group: plan.consumer.group,
    target,
    partitions,
    again: again.toString(),
    skipped: skipped.toString(),
  };
}

export interface OperationsEdges {
  kafka: Kafka;
  admin: Admin;
  prefix: string;
  control: ControlChannel;
  logger: Logger;
  /** The service database: subscriber names, rebuilds. */
  dataSource?: DataSource;
  /** The projections as the projector builds them (rebuilds only). */
  projections?: () => Array<Projection<unknown>>;
}

/**
 * What an on-call engineer does during an incident, for the command line and the API alike:
 * list consumers, plan and run a replay, rebuild a projection, list past replays.
 */
export class IncidentOperations {
  private producer?: Producer;

  constructor(private readonly edges: OperationsEdges) {}

  async consumers(): Promise<ConsumerView[]> {
    await this.edges.control.loaded();
    const rows: Array<{ id: number; name: string }> = this.edges.dataSource
      ? await this.edges.dataSource.query(`SELECT id, name FROM webhook_subscriber`)
      : [];
    return listConsumers(
      this.edges.admin,
      this.edges.prefix,
      this.edges.control.state,
      new Map(rows.map((r) => [r.id, r.name])),
    );
  }

  /** Plans a replay; changes nothing. */
  async plan(
    consumerName: string,
    targetOptions: TargetOptions,
    scope: ReplayScope,
  ): Promise<ReplayPlan> {
    const { kafka, admin, prefix, dataSource } = this.edges;
    const target = parseReplayTarget(targetOptions);
    const consumer = await findConsumer(consumerName, admin, prefix, dataSource);
    await this.edges.control.loaded();
    if (this.edges.control.state.rebuildOf(consumer.group)) {
      throw new ReplayRefused(
        `${consumer.name} is being rebuilt: replay it once that is done`,
        true,
      );
    }
    const topics = scopedTopics(consumer, prefix, scope);
    return planReplay(kafka, admin, consumer, topics, target);
  }

  replay(plan: ReplayPlan, author: ControlAuthor, options: ReplayOptions): Promise<ReplayRecord> {
    return executeReplay(this.edges, plan, author, options);
  }

  /** Follows a replayed consumer until it has caught up with the ends it was moved with. */
  watch(
    record: ReplayRecord,
    report: (progress: CatchUpProgress) => void,
    stop: Promise<void>,
  ): Promise<CatchUpProgress> {
    return watchCatchUp(this.edges.admin, record.group, record.offsets, report, stop);
  }

  /** `feed`, `sync-state`, `deliveries` (or `projector.feed`, ...). */
  async rebuild(
    name: string,
    author: ControlAuthor,
    options: RebuildOptions,
  ): Promise<RebuildRecord> {
    const projection = this.projectionNamed(name);
    const { dataSource, kafka, admin, control, prefix, logger } = this.edges;
    if (!dataSource) throw new ReplayRefused('a rebuild needs DATABASE_URL, as the projector');
    await control.loaded();
    this.producer ??= await (async () => {
      const producer = createOrderedProducer(kafka);
      await producer.connect();
      return producer;
    })();
    const group = `${prefix}.projector.${projection.name}`;
    const rebuild = new ProjectionRebuild(
      {
        kafka,
        admin,
        dataSource,
        control,
        prefix,
        logger,
        deadLetters: new DeadLetterSink(
          this.producer,
          streamTopics(prefix).deadLetters.topic,
          `${group}.rebuild`,
        ),
      },
      projection,
      author,
    );
    return rebuild.run(options);
  }

  /** Checks the name before anything runs (the API answers 400 at once). */
  projectionNamed(name: string): Projection<unknown> {
    const bare = projectionNamed(name);
    const projection = this.edges.projections?.().find((p) => p.name === bare);
    if (!projection) throw new ReplayRefused(`projection ${bare} cannot be rebuilt from here`);
    return projection;
  }

  async history(): Promise<Array<ReplayRecord | RebuildRecord>> {
    await this.edges.control.loaded();
    return [...this.edges.control.state.history];
  }

  async close(): Promise<void> {
    await this.producer?.disconnect();
  }
}
