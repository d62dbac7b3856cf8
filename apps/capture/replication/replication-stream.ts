import { Client, ClientConfig } from 'pg';
import { PgoutputParser } from 'pg-logical-replication/dist/output-plugins/pgoutput/pgoutput-parser';
import { Pgoutput } from 'pg-logical-replication';
import { formatLsn, parseLsn } from './lsn';
import { decodeRowMessage, isRowMessage } from './pgoutput-rows';

export type PgoutputMessage = Pgoutput.Message;

/** What the stream hands on, strictly in the order the server sent it. */
export type StreamItem =
  | { kind: 'message'; message: PgoutputMessage }
  /** The server's position while it has nothing (more) for us; a reply may be requested. */
  | { kind: 'keepalive'; lsn: string; replyRequested: boolean };

export interface ReplicationStreamOptions {
  connection: ClientConfig;
  slot: string;
  publication: string;
  /** Items waiting for the handler before the socket is paused (back-pressure). */
  highWaterMark?: number;
}

/**
 * A pgoutput logical replication stream over one replication connection. Items are handed to the
 * handler one at a time, in server order; while the handler lags, the socket is paused, so a slow
 * Kafka never makes memory grow. Positions are confirmed only by flush(), never by receipt.
 */
export class ReplicationStream {
  private client?: Client;
  private readonly parser = new PgoutputParser();
  private readonly queue: StreamItem[] = [];
  private draining = false;
  private paused = false;
  /** Decoded messages held in memory at most; 1,000 keep the handler fed (bench capture). */
  private readonly highWaterMark: number;
  private failure?: (error: Error) => void;
  private flushed = '0/0';

  constructor(private readonly options: ReplicationStreamOptions) {
    this.highWaterMark = options.highWaterMark ?? 1000;
  }

  /**
   * Streams from the slot's confirmed position (or `fromLsn`) until stop(); resolves when the
   * stream ends, rejects on a connection or handler error.
   */
  async run(fromLsn: string, handle: (item: StreamItem) => Promise<void>): Promise<void> {
    this.flushed = fromLsn;
    const client = new Client({
      ...this.options.connection,
      replication: 'database',
    } as ClientConfig);
    this.client = client;
    await client.connect();
    const connection = (client as unknown as { connection: ReplicationConnection }).connection;

    const ended = new Promise<void>((resolve, reject) => {
      this.failure = reject;
      client.on('error', reject);
      client.on('end', () => resolve());
    });
    connection.on('copyData', ({ chunk }: { chunk: Buffer }) => {
      try {
        this.receive(chunk, handle);
      } catch (error) {
        this.failure?.(error as Error);
      }
    });
    const options = `proto_version '1', publication_names '${this.options.publication}'`;
    const started = client
      .query(`START_REPLICATION SLOT "${this.options.slot}" LOGICAL ${fromLsn} (${options})`)
      .catch((error: Error) => {
        if (!this.client) return; // stopped
        throw error;
      });
    await Promise.race([ended, started.then(() => ended)]);
  }

  /**
   * Tells the server that everything up to `lsn` is safely stored: it may recycle that WAL. With
   * `requestReply` the server answers with a keepalive carrying its current position.
   */
  flush(lsn: string, requestReply = false): void {
    if (parseLsn(lsn) > parseLsn(this.flushed)) this.flushed = lsn;
    const connection = (
      this.client as unknown as { connection?: ReplicationConnection } | undefined
    )?.connection;
    if (!connection) return;
    const position = parseLsn(this.flushed);
    const status = Buffer.alloc(34);
    status.write('r', 0);
    status.writeBigUInt64BE(position, 1); // written
    status.writeBigUInt64BE(position, 9); // flushed
    status.writeBigUInt64BE(position, 17); // applied
    status.writeBigInt64BE(BigInt(Date.now() - POSTGRES_EPOCH_MS) * 1000n, 25);
    status.writeUInt8(requestReply ? 1 : 0, 33);
    connection.sendCopyFromChunk(status);
  }

  get flushedLsn(): string {
    return this.flushed;
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.queue.length = 0;
    await client?.end().catch(() => undefined);
  }

  private receive(chunk: Buffer, handle: (item: StreamItem) => Promise<void>): void {
    const type = chunk[0];
    if (type === 0x77 /* w: XLogData */) {
      // The message's own WAL position is not needed: BEGIN and COMMIT carry the transaction's.
      const body = chunk.subarray(25);
      // Rows through our own reader (the hot path); everything else through the library's.
      const message = (
        isRowMessage(body)
          ? decodeRowMessage(body, this.parser._relationCache)
          : this.parser.parse(body)
      ) as PgoutputMessage;
      if (message.tag === 'relation') {
        // Values stay in PostgreSQL's text form; column-types.ts converts them exactly.
        for (const column of message.columns) column.parser = (raw: unknown) => raw;
      }
      this.enqueue({ kind: 'message', message }, handle);
    } else if (type === 0x6b /* k: primary keepalive */) {
      const lsn = formatLsn(chunk.readBigUInt64BE(1));
      this.enqueue({ kind: 'keepalive', lsn, replyRequested: chunk[17] === 1 }, handle);
    }
  }

  private enqueue(item: StreamItem, handle: (item: StreamItem) => Promise<void>): void {
    this.queue.push(item);
    if (this.queue.length >= this.highWaterMark && !this.paused) {
      this.paused = true;
      this.socket()?.pause();
    }
    if (!this.draining) void this.drain(handle);
  }

  /** Ends run() with this error (a watchdog that found the handler stuck). */
  fail(error: Error): void {
    this.failure?.(error);
  }

  private async drain(handle: (item: StreamItem) => Promise<void>): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0 && this.client) {
        await handle(this.queue.shift() as StreamItem);
        if (this.paused && this.queue.length < this.highWaterMark / 2) {
          this.paused = false;
          this.socket()?.resume();
        }
      }
    } catch (error) {
      this.failure?.(error as Error);
    } finally {
      this.draining = false;
    }
  }

  private socket(): { pause(): void; resume(): void } | undefined {
    return (
      this.client as unknown as { connection?: { stream?: { pause(): void; resume(): void } } }
    )?.connection?.stream;
  }
}

/** PostgreSQL counts time from 2000-01-01. */
const POSTGRES_EPOCH_MS = Date.UTC(2000, 0, 1);

interface ReplicationConnection {
  on(event: 'copyData', listener: (message: { chunk: Buffer }) => void): void;
  sendCopyFromChunk(chunk: Buffer): void;
}
