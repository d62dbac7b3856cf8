import { Kafka, Producer } from 'kafkajs';
import { Logger } from 'pino';
import { AppConfig } from '@odoo-stream/config';
import { ColumnDescriptor, internalTopic, modelTopic } from '@odoo-stream/events';
import { createOrderedProducer, ensureTopics } from '@odoo-stream/kafka';
import { PermanentError, StartupError } from '@odoo-stream/runtime';
import { SchemaRegistry } from '@odoo-stream/schema-registry';
import { CaptureMetrics } from './capture-metrics';
import { TextRow } from './coalescing/row-change';
import { TransactionCoalescer } from './coalescing/transaction-coalescer';
import { TransactionRowStore } from './coalescing/transaction-row-store';
import { ChangeEventBuilder } from './events/change-event-builder';
import { formatLsn, parseLsn } from './replication/lsn';
import { PgoutputMessage, ReplicationStream, StreamItem } from './replication/replication-stream';
import { EncodedMessage, EventEncoder } from './sink/event-encoder';
import { KafkaChangeSink } from './sink/kafka-change-sink';
import { SnapshotSource } from './snapshot/snapshot-source';
import { CaptureStateStore } from './source/capture-state';
import { createSlotWithSnapshot, OdooSource, TrackedTable } from './source/odoo-source';

/** A send or a change waiting this long for Kafka means capture is stuck, not slow. */
const STUCK_AFTER_MS = 45_000;

interface OpenTransaction {
  xid: number;
  commitLsn: string;
  committedMs: number;
  coalescer: TransactionCoalescer;
  rows: TransactionRowStore;
}

interface Prepared {
  db: string;
  tables: TrackedTable[];
  /** Where streaming starts; undefined until the snapshot made the slot. */
  resumeLsn?: string;
  /** Tables tracked since the slot's snapshot (a model added to TRACKED_MODELS): snapshot them alone. */
  added: TrackedTable[];
}

/**
 * Owns the order of capture's work: check and prepare the source, snapshot when the slot is new,
 * then stream from the slot. Changes reach Kafka through one sink, and the slot is told a position
 * only after Kafka acknowledged everything up to it.
 */
export class CaptureCoordinator {
  private readonly metrics = CaptureMetrics.get();
  private producer?: Producer;
  private sink?: KafkaChangeSink;
  private stream?: ReplicationStream;
  private heartbeat?: NodeJS.Timeout;
  private prepared?: Prepared;
  private builder?: ChangeEventBuilder;
  private encoder?: EventEncoder;
  private readonly relations = new Map<number, { table: string; columns: ColumnDescriptor[] }>();
  private tx?: OpenTransaction;
  private durableLsn = '0/0';
  private stopped = false;
  private states?: CaptureStateStore;
  private connecting?: Promise<void>;

  constructor(
    private readonly config: AppConfig,
    private readonly kafka: Kafka,
    private readonly registry: SchemaRegistry,
    private readonly logger: Logger,
  ) {}

  private get url(): string {
    return this.config.odooDatabaseUrl as string;
  }

  /** Start-up checks and preparation; a problem here is a StartupError with one clear line. */
  async prepare(): Promise<void> {
    const capture = this.config.capture;
    const source = await OdooSource.connect(this.url);
    try {
      await source.checkReplicationRole();
      const { tables, skipped } = await source.resolveTables(capture.trackedModels);
      if (skipped.length) {
        // One line: a database without some modules (the demo has no stock or project) is common.
        this.logger.warn(
          { models: skipped },
          `${skipped.length} tracked model(s) not installed in this Odoo database (not in ir_model or no table), skipped: ${skipped.join(', ')}`,
        );
      }
      if (tables.length === 0) {
        throw new StartupError(
          `none of TRACKED_MODELS (${capture.trackedModels.join(', ')}) is installed in the Odoo database`,
        );
      }
      const slot = await source.slot(capture.slot);
      if (slot.activePid !== null) {
        throw new StartupError(
          `replication slot '${capture.slot}' is in use by server process ${slot.activePid} (another capture running?); stop it, or set CAPTURE_SLOT to another name`,
          { retriable: true },
        );
      }
      if (slot.exists && slot.plugin !== 'pgoutput') {
        throw new StartupError(
          `replication slot '${capture.slot}' uses plugin ${slot.plugin}, not pgoutput; set CAPTURE_SLOT to another name`,
        );
      }
      if (capture.replicaIdentityFull) {
        const changed = await source.useFullReplicaIdentity(tables);
        if (changed.length)
          this.logger.info({ tables: changed }, 'set REPLICA IDENTITY FULL (exact before images)');
      }
      await source.ensurePublication(capture.publication, tables);
      const db = await source.databaseName();
      await ensureTopics(
        this.kafka,
        tables.map((t) => ({
          topic: modelTopic(this.config.topicPrefix, db, t.model),
          partitions: capture.topicPartitions,
          replicationFactor: capture.topicReplication,
          // Odoo records with long texts (descriptions, HTML notes) must fit in one message.
          config: { 'max.message.bytes': String(8 * 1024 * 1024) },
        })),
      );
      const state = await this.stateStore().load(capture.slot);
      let resumeLsn: string | undefined;
      if (slot.exists && state) resumeLsn = slot.confirmedFlushLsn ?? undefined;
      else if (slot.exists) {
        this.logger.warn(
          { slot: capture.slot },
          `slot ${capture.slot} has no completed snapshot (stopped during one?): dropping it to snapshot again`,
        );
        await source.dropSlot(capture.slot);
      }
      const added = resumeLsn && state ? tables.filter((t) => !state.tables.includes(t.table)) : [];
      this.prepared = { db, tables, resumeLsn, added };
      this.logger.info(
        {
          db,
          models: tables.map((t) => t.model),
          slot: capture.slot,
          publication: capture.publication,
          resume_lsn: resumeLsn ?? null,
        },
        resumeLsn
          ? `capture prepared: resuming slot ${capture.slot} at ${resumeLsn}`
          : `capture prepared: new slot ${capture.slot}, snapshot first`,
      );
    } finally {
      await source.close();
    }
  }

  /** Snapshot (when the slot is new), then stream until stop(); rejects on a fatal error. */
  async run(): Promise<void> {
    const prepared = this.prepared;
    if (!prepared) throw new Error('prepare() first');
    const modelOf = new Map(prepared.tables.map((t) => [t.table, t.model]));
    this.builder = new ChangeEventBuilder(
      prepared.db,
      (table) => modelOf.get(table) ?? table.replace(/_/g, '.'),
    );
    this.encoder = new EventEncoder(
      this.registry,
      (model) => modelTopic(this.config.topicPrefix, prepared.db, model),
      this.config.capture.excludedFields,
    );
    this.producer = createOrderedProducer(this.kafka);
    this.connecting = this.producer.connect();
    await this.connecting;
    if (this.stopped) return;
    this.sink = new KafkaChangeSink(this.producer, (lsn) => this.onDurable(lsn));

    let startLsn = prepared.resumeLsn;
    if (!startLsn) startLsn = await this.snapshot(prepared);
    else if (prepared.added.length) await this.snapshotAdded(prepared, startLsn);
    if (this.stopped) return;
    this.durableLsn = startLsn;

    this.stream = new ReplicationStream({
      connection: { connectionString: this.url },
      slot: this.config.capture.slot,
      publication: this.config.capture.publication,
    });
    this.heartbeat = setInterval(
      () => {
        this.stream?.flush(this.durableLsn, true);
        this.failIfStuck();
      },
      Math.min(this.config.capture.heartbeatMs, STUCK_AFTER_MS / 4),
    );
    this.logger.info({ step: 'stream.start', lsn: startLsn }, `streaming changes from ${startLsn}`);
    await this.stream.run(startLsn, (item) => this.onItem(item));
    if (!this.stopped) throw new Error('the replication connection closed');
  }

  /**
   * A send that Kafka never answers (a client left waiting across a broker restart) would hold
   * capture forever without an error: past STUCK_AFTER_MS it ends the run, and the service
   * starts again from the slot's confirmed position with a new producer.
   */
  private failIfStuck(): void {
    const waiting = this.sink?.sendWaitingMs ?? 0;
    if (waiting > STUCK_AFTER_MS) {
      this.stream?.fail(
        new Error(`no acknowledgement from Kafka for ${Math.round(waiting / 1000)} s`),
      );
    }
  }

  /**
   * Stops streaming; waits up to `flushMs` for Kafka to acknowledge what was sent (whatever is
   * not acknowledged comes again from the slot at the next start, so nothing waits on a Kafka
   * that does not answer).
   */
  async stop(flushMs = 10_000): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeat);
    await this.stream?.stop();
    if (this.sink && flushMs > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.sink.flush().catch(() => undefined),
        new Promise((r) => (timer = setTimeout(r, flushMs))),
      ]);
      clearTimeout(timer);
    }
    // Stopped while the producer was still connecting: let it finish, then close it.
    await this.connecting?.catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
    await this.states?.close().catch(() => undefined);
  }

  private async snapshot(prepared: Prepared): Promise<string> {
    const slot = this.config.capture.slot;
    const { connection, consistentPoint, snapshotName } = await createSlotWithSnapshot(
      this.url,
      slot,
    );
    try {
      await this.readSnapshot(snapshotName, prepared.tables, consistentPoint);
      await this.saveState(consistentPoint, prepared.tables);
      return consistentPoint;
    } finally {
      await connection.end().catch(() => undefined);
    }
  }

  /**
   * A model added to TRACKED_MODELS after the slot was made: its table joined the publication at
   * start-up, so the stream carries its changes from then on; its rows are read now, in a snapshot
   * of their own. Changes made between joining and this read may arrive twice (as part of the read
   * and as streamed changes, in order): an overlap, never a gap. The others' position is untouched.
   */
  private async snapshotAdded(prepared: Prepared, resumeLsn: string): Promise<void> {
    this.logger.info(
      { models: prepared.added.map((t) => t.model) },
      'snapshot of newly tracked models',
    );
    const source = await OdooSource.connect(this.url);
    const lsn = (
      await source
        .query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')
        .finally(() => source.close())
    ).rows[0].lsn;
    await this.readSnapshot(undefined, prepared.added, lsn);
    await this.saveState(resumeLsn, prepared.tables);
  }

  private async readSnapshot(
    snapshotName: string | undefined,
    tables: TrackedTable[],
    lsn: string,
  ): Promise<void> {
    const tx = { lsn, txId: null, committedMs: Date.now() };
    const total = await new SnapshotSource(this.url, this.logger).read(
      snapshotName,
      tables,
      async (table, columns, rows) => {
        const messages: EncodedMessage[] = [];
        for (const row of rows) {
          const event = (this.builder as ChangeEventBuilder).buildRead(
            table.table,
            columns,
            row,
            tx,
          );
          messages.push(await (this.encoder as EventEncoder).encode(event, columns));
        }
        this.metrics.snapshotRows.inc({ model: table.model }, rows.length);
        this.metrics.events.inc({ model: table.model, op: 'read' }, rows.length);
        await (this.sink as KafkaChangeSink).write(messages);
      },
    );
    await (this.sink as KafkaChangeSink).flush();
    this.logger.info(
      { step: 'snapshot.complete', rows: total, lsn },
      `snapshot complete: ${total} rows`,
    );
  }

  private async saveState(snapshotLsn: string, tables: TrackedTable[]): Promise<void> {
    await this.stateStore().save({
      slot: this.config.capture.slot,
      snapshotLsn,
      snapshotCompletedAt: new Date().toISOString(),
      tables: tables.map((t) => t.table),
    });
  }

  private async onItem(item: StreamItem): Promise<void> {
    if (item.kind === 'keepalive') {
      const sink = this.sink as KafkaChangeSink;
      this.metrics.lagBytes.set(Number(parseLsn(item.lsn) - parseLsn(this.durableLsn)));
      // Nothing of ours is in flight: the server's position is durable as far as we are concerned,
      // so the slot advances even while only untracked tables change.
      if (!this.tx && sink.idle && parseLsn(item.lsn) > parseLsn(this.durableLsn))
        this.onDurable(item.lsn);
      else if (item.replyRequested) this.stream?.flush(this.durableLsn);
      return;
    }
    await this.onMessage(item.message);
  }

  private async onMessage(message: PgoutputMessage): Promise<void> {
    switch (message.tag) {
      case 'begin': {
        this.tx?.rows.close();
        const rows = new TransactionRowStore(this.config.capture.spillAfterRows);
        this.tx = {
          xid: message.xid,
          commitLsn: formatLsn(parseLsn(message.commitLsn as string)),
          committedMs: Number((message.commitTime as bigint) / 1000n),
          coalescer: new TransactionCoalescer(rows),
          rows,
        };
        return;
      }
      case 'relation':
        this.relations.set(message.relationOid, {
          table: message.name,
          columns: message.columns.map((c) => ({
            name: c.name,
            typeOid: c.typeOid,
            typeMod: c.typeMod,
          })),
        });
        return;
      case 'insert':
      case 'update':
      case 'delete': {
        const relation = this.relations.get(message.relation.relationOid);
        if (!relation || !this.tx)
          throw new Error(`a ${message.tag} arrived outside a transaction or before its relation`);
        const old =
          message.tag === 'insert' ? null : ((message.old ?? message.key) as TextRow | null);
        this.tx.coalescer.add({
          kind: message.tag,
          table: relation.table,
          columns: relation.columns,
          old,
          new: message.tag === 'delete' ? null : (message.new as TextRow),
        });
        if (this.tx.coalescer.size > this.config.capture.maxTransactionRecords) {
          throw new PermanentError(
            `transaction ${this.tx.xid} changes more than ${this.config.capture.maxTransactionRecords} tracked records; raise CAPTURE_MAX_TRANSACTION_RECORDS`,
          );
        }
        return;
      }
      case 'truncate':
        this.logger.warn(
          { tables: message.relations.map((r) => r.name) },
          'TRUNCATE of tracked tables is not captured as events',
        );
        return;
      case 'commit':
        await this.onCommit(formatLsn(parseLsn(message.commitEndLsn as string)));
        return;
      default:
        return;
    }
  }

  private async onCommit(commitEndLsn: string): Promise<void> {
    const tx = this.tx;
    this.tx = undefined;
    if (!tx) return;
    try {
      await this.produceTransaction(tx, commitEndLsn);
    } finally {
      tx.rows.close();
    }
  }

  private async produceTransaction(tx: OpenTransaction, commitEndLsn: string): Promise<void> {
    const info = { lsn: tx.commitLsn, txId: tx.xid, committedMs: tx.committedMs };
    const messages: EncodedMessage[] = [];
    for (const change of tx.coalescer.changes()) {
      const event = (this.builder as ChangeEventBuilder).build(change, info);
      messages.push(await (this.encoder as EventEncoder).encode(event, change.columns));
      if (event.op === 'unlink' && this.config.capture.tombstones) {
        messages.push(await (this.encoder as EventEncoder).tombstone(event, change.columns));
      }
      this.metrics.events.inc({ model: event.model, op: event.op });
    }
    this.metrics.transactions.inc();
    this.metrics.lagSeconds.set(Math.max(0, (Date.now() - tx.committedMs) / 1000));
    await (this.sink as KafkaChangeSink).write(messages, commitEndLsn);
  }

  private onDurable(lsn: string): void {
    if (parseLsn(lsn) <= parseLsn(this.durableLsn)) return;
    this.durableLsn = lsn;
    this.stream?.flush(lsn);
  }

  private stateStore(): CaptureStateStore {
    return (this.states ??= new CaptureStateStore(
      this.kafka,
      internalTopic(this.config.topicPrefix, 'capture-state'),
    ));
  }
}
