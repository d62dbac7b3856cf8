import { randomUUID } from 'node:crypto';
import { Admin, Kafka } from 'kafkajs';
import { Logger } from 'pino';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { PROJECTION_TABLES } from '@odoo-stream/db';
import { ControlAuthor, PartitionOffsets, RebuildRecord } from '@odoo-stream/events';
import { commitGroupOffsets, ControlChannel } from '@odoo-stream/kafka';
import { FEED_CURSOR_LOCK } from '../projector/feed/feed-projection';
import { DeadLetterSink } from '../projector/framework/dead-letter-sink';
import { Projection } from '../projector/framework/projection';
import { ProjectionRunner } from '../projector/framework/projection-runner';
import { PROJECTIONS, ProjectionName } from '../projector/projection-catalog';
import { CatchUpProgress, catchUpProgress } from './catch-up';
import { ConsumerPause } from './consumer-pause';
import { ReplayRefused } from './replay-target';

/** The copy is filled here, beside the live tables in `public`. */
export const REBUILD_SCHEMA = 'odoo_stream_rebuild';
/** The replaced tables go here (dropped unless kept). */
export const REPLACED_SCHEMA = 'odoo_stream_replaced';
/** One rebuild at a time, across every process: held for the rebuild's life. */
const REBUILD_LOCK = 7_346_221_021;
/** The live consumer is paused for the last stretch once the copy is this close. */
const NEAR_END = 1000;

export interface RebuildOptions {
  keepOld: boolean;
  /** Called every second with the copy's progress. */
  report(phase: 'filling' | 'swapping', progress: CatchUpProgress): void;
  /** Called once the rebuild holds the lock and has recorded its start. */
  started?(record: RebuildRecord): void;
}

export interface RebuildEdges {
  kafka: Kafka;
  admin: Admin;
  dataSource: DataSource;
  control: ControlChannel;
  prefix: string;
  logger: Logger;
  deadLetters: DeadLetterSink;
}

/**
 * Builds a projection again from the earliest offset into tables of the same names in
 * REBUILD_SCHEMA (its own consumer group `<group>.rebuild`) while the live tables keep serving;
 * once the copy is near the end, pauses the live consumer, lets the copy reach the end, and swaps
 * the two in one transaction; the live group continues from the copy's positions.
 */
export class ProjectionRebuild {
  private session?: QueryRunner;

  constructor(
    private readonly edges: RebuildEdges,
    private readonly projection: Projection<unknown>,
    private readonly author: ControlAuthor,
  ) {}

  get group(): string {
    return `${this.edges.prefix}.projector.${this.projection.name}`;
  }

  async run(options: RebuildOptions): Promise<RebuildRecord> {
    const { dataSource, control, admin } = this.edges;
    await this.lock();
    const id = randomUUID();
    const shadowGroup = `${this.group}.rebuild`;
    const record = (status: RebuildRecord['status'], rest: Partial<RebuildRecord> = {}) =>
      ({
        type: 'rebuild',
        id,
        consumer: `projector.${this.projection.name}`,
        group: this.group,
        status,
        offsets: [],
        events: 0,
        detail: null,
        ...this.author,
        ...rest,
      }) satisfies RebuildRecord;
    let runner: ProjectionRunner<unknown> | undefined;
    let pause: ConsumerPause | undefined;
    try {
      await this.prepareSchema();
      await admin.deleteGroups([shadowGroup]).catch(() => undefined);
      this.projection.fillsCopyOf?.('public');
      runner = new ProjectionRunner(
        this.edges.kafka,
        dataSource,
        this.projection,
        this.edges.deadLetters,
        this.edges.logger,
        {
          groupId: shadowGroup,
          topicRefreshMs: 10_000,
          schema: REBUILD_SCHEMA,
          partitionsConcurrently: 4,
        },
      );
      const start = record('started');
      await control.send(start);
      options.started?.(start);
      await runner.start();
      const started = Date.now();
      // Events the copy applied from the topics (what the record reports).
      let applied = 0;
      const topics = PROJECTIONS[this.projection.name as ProjectionName].topics(
        this.edges.prefix,
        await admin.listTopics(),
      );
      // Fill while the live tables serve, until the copy is close to the end.
      for (;;) {
        const progress = await this.copyProgress(runner, topics, started);
        options.report('filling', progress);
        if (progress.total - progress.done <= NEAR_END) break;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      pause = await ConsumerPause.take(control, admin, this.group, this.author.by);
      // The last stretch, with the live consumer out of the group: the copy reaches the end.
      for (;;) {
        const progress = await this.copyProgress(runner, topics, started);
        options.report('swapping', progress);
        applied = progress.done;
        if (progress.caughtUp) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      await runner.stop();
      runner = undefined;
      const before = await this.committed(this.group, topics);
      const positions = await this.swap();
      const offsets: PartitionOffsets[] = [];
      for (const topic of topics) {
        for (const end of await admin.fetchTopicOffsets(topic)) {
          const key = `${topic}/${end.partition}`;
          offsets.push({
            topic,
            partition: end.partition,
            before: before.get(key) ?? null,
            after: positions.get(key) ?? end.low,
            end: end.high,
          });
        }
      }
      await commitGroupOffsets(
        this.edges.kafka,
        this.group,
        offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.after })),
      );
      await pause.release();
      pause = undefined;
      await admin.deleteGroups([shadowGroup]).catch(() => undefined);
      if (!options.keepOld)
        await dataSource.query(`DROP SCHEMA IF EXISTS ${REPLACED_SCHEMA} CASCADE`);
      const done = record('swapped', {
        offsets,
        events: applied,
        detail: options.keepOld
          ? `the replaced tables are kept in schema ${REPLACED_SCHEMA}`
          : null,
      });
      await control.send(done);
      return done;
    } catch (error) {
      await runner?.stop().catch(() => undefined);
      await pause?.release().catch(() => undefined);
      await control
        .send(record('failed', { detail: (error as Error).message }))
        .catch(() => undefined);
      throw error;
    } finally {
      await this.unlock();
    }
  }

  private async lock(): Promise<void> {
    this.session = this.edges.dataSource.createQueryRunner();
    await this.session.connect();
    const [{ locked }] = await this.session.query(`SELECT pg_try_advisory_lock($1) AS locked`, [
      REBUILD_LOCK,
    ]);
    if (!locked) {
      await this.session.release();
      this.session = undefined;
      throw new ReplayRefused('a rebuild is already running: wait for it to finish', true);
    }
  }

  private async unlock(): Promise<void> {
    await this.session
      ?.query(`SELECT pg_advisory_unlock($1)`, [REBUILD_LOCK])
      .catch(() => undefined);
    await this.session?.release();
  }

  /** An empty schema for the copy, with its own positions table (a killed rebuild's is dropped). */
  private async prepareSchema(): Promise<void> {
    await this.edges.dataSource.transaction(async (tx) => {
      await tx.query(`DROP SCHEMA IF EXISTS ${REBUILD_SCHEMA} CASCADE`);
      await tx.query(`CREATE SCHEMA ${REBUILD_SCHEMA}`);
      await tx.query(`SET LOCAL search_path TO ${REBUILD_SCHEMA}, public`);
      for (const statement of PROJECTION_TABLES.projection_position) await tx.query(statement);
    });
  }

  private async copyProgress(
    runner: ProjectionRunner<unknown>,
    topics: string[],
    started: number,
  ): Promise<CatchUpProgress> {
    const applied = new Map(
      (await runner.positions()).map((p) => [`${p.topic}/${p.partition}`, BigInt(p.next_offset)]),
    );
    const offsets: PartitionOffsets[] = [];
    for (const topic of topics) {
      for (const e of await this.edges.admin.fetchTopicOffsets(topic)) {
        offsets.push({ topic, partition: e.partition, before: null, after: e.low, end: e.high });
      }
    }
    return catchUpProgress(offsets, applied, Date.now() - started);
  }

  private async committed(group: string, topics: string[]): Promise<Map<string, string>> {
    const committed = new Map<string, string>();
    for (const { topic, partitions } of await this.edges.admin.fetchOffsets({
      groupId: group,
      topics,
    })) {
      for (const p of partitions) {
        if (BigInt(p.offset) >= 0n) committed.set(`${topic}/${p.partition}`, p.offset);
      }
    }
    return committed;
  }

  /**
   * One transaction: feed ids made safe for every device (below), positions copied, the live
   * tables moved to REPLACED_SCHEMA and the copy's into `public`, serial sequences carried on.
   * Returns the copy's positions (the live group continues from them).
   */
  private async swap(): Promise<Map<string, string>> {
    const tables = this.projection.tables;
    const name = this.projection.name;
    await this.edges.dataSource.query(`DROP SCHEMA IF EXISTS ${REPLACED_SCHEMA} CASCADE`);
    return this.edges.dataSource.transaction(async (tx) => {
      if (tables.includes('update_webhook')) await this.renumberFeed(tx);
      const positions: Array<{ topic: string; partition: number; next_offset: string }> =
        await tx.query(
          `SELECT topic, partition, next_offset::text FROM ${REBUILD_SCHEMA}.projection_position
           WHERE projection = $1`,
          [name],
        );
      await tx.query(`DELETE FROM public.projection_position WHERE projection = $1`, [name]);
      await tx.query(
        `INSERT INTO public.projection_position SELECT * FROM ${REBUILD_SCHEMA}.projection_position
         WHERE projection = $1`,
        [name],
      );
      await tx.query(`CREATE SCHEMA ${REPLACED_SCHEMA}`);
      for (const table of tables) {
        await tx.query(`ALTER TABLE public.${table} SET SCHEMA ${REPLACED_SCHEMA}`);
        await tx.query(`ALTER TABLE ${REBUILD_SCHEMA}.${table} SET SCHEMA public`);
        // A serial id (registrations draw from it) continues above every id handed out.
        const serial: Array<{ sequence: string | null; old: string | null }> = await tx.query(
          `SELECT pg_get_serial_sequence('public.' || table_name, 'id') AS sequence,
             pg_get_serial_sequence('${REPLACED_SCHEMA}.' || table_name, 'id') AS old
           FROM information_schema.columns
           WHERE table_schema = 'public' AND table_name = $1 AND column_name = 'id'`,
          [table],
        );
        const { sequence, old } = serial[0] ?? { sequence: null, old: null };
        if (sequence && old) {
          await tx.query(
            `SELECT setval($1::regclass, GREATEST((SELECT last_value FROM ${old}),
               (SELECT COALESCE(max(id), 1) FROM public.${table})))`,
            [sequence],
          );
        }
      }
      await tx.query(`DROP SCHEMA ${REBUILD_SCHEMA} CASCADE`);
      return new Map(positions.map((p) => [`${p.topic}/${p.partition}`, p.next_offset]));
    });
  }

  /**
   * A device at checkpoint N has seen every live row up to N. Rows of events the live table has
   * keep its id; rows it does not have (lost there, or applied by the copy first) get new ids
   * above every id handed out, in their order: no device skips them.
   */
  private async renumberFeed(tx: EntityManager): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [FEED_CURSOR_LOCK]);
    await tx.query(
      `UPDATE ${REBUILD_SCHEMA}.update_webhook r SET id = l.id FROM public.update_webhook l
       WHERE l.event_id = r.event_id AND l.id <> r.id`,
    );
    await tx.query(
      `WITH fresh AS (
         SELECT id AS old, nextval('feed_id_seq') AS new FROM (
           SELECT id FROM ${REBUILD_SCHEMA}.update_webhook r
           WHERE NOT EXISTS (SELECT 1 FROM public.update_webhook l WHERE l.event_id = r.event_id)
           ORDER BY id) ordered)
       UPDATE ${REBUILD_SCHEMA}.update_webhook r SET id = fresh.new FROM fresh WHERE r.id = fresh.old`,
    );
  }
}
