import { Admin, Batch, Consumer, Kafka } from 'kafkajs';
import { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { PROJECTION_TABLES } from '@odoo-stream/db';
import {
  ControlChannel,
  PausableConsumer,
  retryRetriable,
  whenConsumerStops,
} from '@odoo-stream/kafka';
import { DeadLetter, DeadLetterSink } from './dead-letter-sink';
import { ProjectedMessage, Projection } from './projection';
import { savePosition } from './projection-positions';

export interface ProjectionRunnerOptions {
  groupId: string;
  /** How often the topic list is checked for new topics (a model tracked later). */
  topicRefreshMs: number;
  /** Pause and resume commands (replays, rebuilds); absent in a rebuild's own runner. */
  control?: ControlChannel;
  /**
   * A rebuild fills tables of the same names in this schema (with its own positions), beside the
   * live ones in `public`; absent: the live tables.
   */
  schema?: string;
  /**
   * Partitions applied at the same time (default 1). A rebuild's copy takes no cursor lock, so
   * its partitions can use several database connections and cores.
   */
  partitionsConcurrently?: number;
}

/**
 * Runs one projection as one Kafka consumer group. Per partition batch: decode (undecodable
 * messages to the dead-letter topic), apply in one database transaction together with the
 * position, commit the Kafka offset only after that transaction committed.
 */
export class ProjectionRunner<T> implements PausableConsumer {
  private consumer?: Consumer;
  /** Paused by a control command: no consumer joins the group until the resume. */
  private held = false;
  private refreshing = Promise.resolve();
  private unregister?: () => void;
  private topics: string[] = [];
  private refreshTimer?: NodeJS.Timeout;
  private stopped = false;
  private admin?: Admin;

  constructor(
    private readonly kafka: Kafka,
    private readonly dataSource: DataSource,
    private readonly projection: Projection<T>,
    private readonly deadLetters: DeadLetterSink,
    private readonly logger: Logger,
    private readonly options: ProjectionRunnerOptions,
  ) {}

  async start(): Promise<void> {
    await this.ensureTables();
    this.unregister = this.options.control?.register(this.options.groupId, this);
    await this.refreshTopics();
    this.refreshTimer = setInterval(() => {
      this.refreshTopics().catch((error: Error) =>
        this.logger.warn({ err: error, projection: this.projection.name }, 'topic check failed'),
      );
    }, this.options.topicRefreshMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unregister?.();
    clearInterval(this.refreshTimer);
    await this.refreshing.catch(() => undefined);
    await this.consumer?.disconnect();
    await this.admin?.disconnect();
  }

  /** Leaves the group (after the batch in hand is applied and committed). */
  async pause(): Promise<void> {
    this.held = true;
    await this.serially(async () => {
      await this.consumer?.disconnect();
      this.consumer = undefined;
      this.topics = [];
    });
  }

  async resume(): Promise<void> {
    this.held = false;
    await this.refreshTopics();
  }

  /** The committed offsets of the partitions this runner has applied, as its positions say. */
  async positions(): Promise<Array<{ topic: string; partition: number; next_offset: string }>> {
    return this.dataSource.transaction(async (tx) => {
      await this.useSchema(tx);
      return tx.query(
        `SELECT topic, partition, next_offset::text FROM projection_position WHERE projection = $1`,
        [this.projection.name],
      );
    });
  }

  private async useSchema(tx: EntityManager): Promise<void> {
    if (this.options.schema) {
      await tx.query(`SET LOCAL search_path TO "${this.options.schema}", public`);
    }
  }

  private serially(work: () => Promise<void>): Promise<void> {
    const next = this.refreshing.catch(() => undefined).then(work);
    this.refreshing = next;
    return next;
  }

  /**
   * A dropped projection table is created again, empty, and fills from the group's committed
   * offsets: with the group reset to earliest (kafka-consumer-groups --reset-offsets), that is a
   * full rebuild.
   */
  private async ensureTables(): Promise<void> {
    const schema = this.options.schema;
    for (const table of this.projection.tables) {
      const [{ present }] = await this.dataSource.query(
        `SELECT to_regclass($1) IS NOT NULL AS present`,
        [schema ? `"${schema}".${table}` : table],
      );
      if (present) continue;
      await this.dataSource.transaction(async (tx) => {
        await this.useSchema(tx);
        for (const statement of PROJECTION_TABLES[table]) {
          // Sequences stay shared with the live tables (ids keep growing across a rebuild).
          if (schema && statement.startsWith('CREATE SEQUENCE')) continue;
          await tx.query(statement);
        }
        await tx.query(`DELETE FROM projection_position WHERE projection = $1`, [
          this.projection.name,
        ]);
      });
      // A rebuild's copy starts empty on purpose.
      if (schema) continue;
      this.logger.warn(
        { projection: this.projection.name, table },
        `table ${table} was missing: created it empty; it fills from the consumer group's committed offsets (reset the group to earliest for a full rebuild)`,
      );
    }
  }

  /** A consumer's subscription is fixed once it runs: a new topic means a new consumer. */
  private refreshTopics(): Promise<void> {
    return this.serially(() => this.followTopics());
  }

  private async followTopics(): Promise<void> {
    if (this.held || this.options.control?.isPaused(this.options.groupId)) return;
    // One admin connection for the runner's life: the list is read every topicRefreshMs.
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      if (this.stopped) return admin.disconnect();
      this.admin = admin;
    }
    const existing = await this.admin.listTopics();
    const topics = this.projection.selectTopics(existing).sort();
    if (this.stopped || topics.join() === this.topics.join()) return;
    await this.consumer?.disconnect();
    this.consumer = undefined;
    // Set once the consumer runs: a failed start is tried again at the next check.
    this.topics = [];
    if (topics.length === 0) return;
    this.logger.info({ projection: this.projection.name, topics }, 'projection reading topics');
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      maxWaitTimeInMs: 100,
      allowAutoTopicCreation: false,
    });
    // A consumer that stopped for good is replaced at the next topic check.
    whenConsumerStops(consumer, this.logger, `projection ${this.projection.name}`, () => {
      if (this.consumer === consumer) this.topics = [];
    });
    try {
      await consumer.connect();
      await retryRetriable(() => consumer.subscribe({ topics, fromBeginning: true }));
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
    await consumer.run({
      partitionsConsumedConcurrently: this.options.partitionsConcurrently ?? 1,
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary }) => {
        if (batch.isEmpty()) return;
        await this.project(batch);
        resolveOffset(batch.lastOffset());
        await consumer.commitOffsets([
          {
            topic: batch.topic,
            partition: batch.partition,
            offset: (BigInt(batch.lastOffset()) + 1n).toString(),
            // When it was committed: `odoo-stream consumers` shows it.
            metadata: new Date().toISOString(),
          },
        ]);
        await commitOffsetsIfNecessary();
      },
    });
    this.consumer = consumer;
    this.topics = topics;
  }

  private async project(batch: Batch): Promise<void> {
    const { topic, partition } = batch;
    const decoded: ProjectedMessage<T>[] = [];
    const dead: DeadLetter[] = [];
    for (const message of batch.messages) {
      try {
        const value = await this.projection.decode(topic, partition, message);
        if (value !== null)
          decoded.push({ topic, partition, offset: message.offset, value, message });
      } catch (error) {
        dead.push({ topic, partition, message, reason: reasonOf(error) });
      }
    }
    await this.projection.prepare?.(decoded);
    await this.dataSource.transaction(async (tx) => {
      await this.useSchema(tx);
      dead.push(...(await this.applyIsolatingPoison(tx, decoded)));
      // Inside the transaction: if the dead letters cannot be written, nothing is committed and
      // the batch is tried again (at worst a dead letter is written twice, never lost).
      await this.deadLetters.send(dead);
      for (const letter of dead) {
        this.logger.warn(
          { projection: this.projection.name, topic, partition, offset: letter.message.offset },
          `event sent to the dead-letter topic: ${letter.reason}`,
        );
      }
      await savePosition(
        tx,
        this.projection.name,
        topic,
        partition,
        BigInt(batch.lastOffset()) + 1n,
      );
    });
  }

  /**
   * Applies the batch; when the database refuses it for its data (not for a lost connection),
   * applies message by message and returns those it refuses, so one bad event never blocks the
   * partition.
   */
  private async applyIsolatingPoison(
    tx: EntityManager,
    messages: ProjectedMessage<T>[],
  ): Promise<DeadLetter[]> {
    if (messages.length === 0) return [];
    try {
      await this.withSavepoint(tx, () => this.projection.apply(tx, messages));
      return [];
    } catch (error) {
      if (!isDataError(error)) throw error;
    }
    const refused: DeadLetter[] = [];
    for (const message of messages) {
      try {
        await this.withSavepoint(tx, () => this.projection.apply(tx, [message]));
      } catch (error) {
        if (!isDataError(error)) throw error;
        refused.push({
          topic: message.topic,
          partition: message.partition,
          message: message.message,
          reason: reasonOf(error),
        });
      }
    }
    return refused;
  }

  private async withSavepoint(tx: EntityManager, work: () => Promise<void>): Promise<void> {
    await tx.query('SAVEPOINT projection_apply');
    try {
      await work();
      await tx.query('RELEASE SAVEPOINT projection_apply');
    } catch (error) {
      await tx.query('ROLLBACK TO SAVEPOINT projection_apply');
      throw error;
    }
  }
}

/** PostgreSQL refused the values (class 22, data exception; 23, integrity constraint). */
function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
