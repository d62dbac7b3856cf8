/**
 * Capture alone: how fast committed changes become acknowledged Kafka events, and the capture
 * process's memory while it works. Prints figures and ratios against baselines; asserts nothing.
 *
 *   npm run bench:capture [-- <transactions>]      (default 20000)
 *
 * Method: a private Kafka broker and PostgreSQL cluster; the demo Odoo schema; capture starts and
 * takes its (empty) snapshot; capture is stopped; <transactions> Odoo-shaped transactions are
 * committed (INSERT a partner, then UPDATE it, as the ORM does); capture is started again and the
 * clock runs from its start until the slot's confirmed position (moved only after Kafka acks)
 * reaches the end of those writes. RSS of the capture process is sampled every 100 ms meanwhile.
 */
import { ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { LocalStack } from '@odoo-stream/local-infra';
import { installDemoSchema } from '@odoo-stream/odoo';
import {
  sampleRss,
  slotConfirmedPast,
  slotStreaming,
  startAppProcess,
  stopProcess as stop,
  waitFor,
} from './bench-processes';
import { rateRatioLine } from './addon-baseline';
import { topicBytesIn } from './bench-result';

const transactions = Number(process.argv[2] ?? 20_000);

async function main(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'odoo-stream-bench-'));
  chmodSync(home, 0o755);
  const stack = new LocalStack({ home, kafka: true, postgres: true });
  await stack.start();
  const sql = new Client({ connectionString: await stack.postgres!.createDatabase('odoo_bench') });
  try {
    await sql.connect();
    const url = stack.postgres!.url('odoo_bench');
    await installDemoSchema(url);
    const env = {
      PATH: process.env.PATH ?? '',
      KAFKA_BROKERS: stack.kafka!.bootstrapAddress,
      ODOO_DATABASE_URL: url,
      TRACKED_MODELS: 'res.partner',
      LOG_LEVEL: 'warn',
      CAPTURE_HEARTBEAT_MS: '200',
    };

    let capture = startCapture(env);
    // Streaming (the slot active) means the snapshot is done and saved: stopping earlier would
    // leave a slot without capture state, and the next start would begin afresh.
    await waitFor(async () => await slotStreaming(sql, 'odoo_stream'), 60_000);
    await stop(capture);

    const writeStart = Date.now();
    await sql.query(`
      DO $$ DECLARE pid integer; BEGIN
        FOR i IN 1..${transactions} LOOP
          INSERT INTO res_partner (name, active, customer_rank, create_date, write_date)
          VALUES ('Bench partner ' || i, true, 0, now() at time zone 'UTC', now() at time zone 'UTC') RETURNING id INTO pid;
          UPDATE res_partner SET customer_rank = customer_rank + 1, email = 'bench' || i || '@example.com' WHERE id = pid;
          COMMIT;
        END LOOP;
      END $$`);
    const writeSeconds = (Date.now() - writeStart) / 1000;
    const target = (await sql.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn'))
      .rows[0].lsn;

    const captureStart = Date.now();
    capture = startCapture(env);
    const rss = sampleRss(capture.pid as number);
    await waitFor(async () => slotConfirmedPast(sql, 'odoo_stream', target), 600_000);
    const captureSeconds = (Date.now() - captureStart) / 1000;
    const { peakMb: peak, medianMb: median } = rss.stop();
    await stop(capture);

    const rowChanges = transactions * 2;
    const onDisk = topicBytesIn(join(home, 'kafka', 'data'), 'odoo.odoo_bench.res.partner');
    const eventsPerSecond = transactions / captureSeconds;
    const lines = [
      `capture-throughput: ${transactions} transactions, ${rowChanges} row changes, ${transactions} events (one per transaction and record)`,
      `  PostgreSQL wrote them in ${writeSeconds.toFixed(1)} s: ${(rowChanges / writeSeconds).toFixed(0)} row changes/s`,
      `  capture, from process start to the last Kafka-acknowledged position confirmed: ${captureSeconds.toFixed(1)} s`,
      `  = ${(rowChanges / captureSeconds).toFixed(0)} row changes/s, ${eventsPerSecond.toFixed(0)} events/s`,
      `  ratio capture / PostgreSQL write rate: ${(writeSeconds / captureSeconds).toFixed(2)}`,
      rateRatioLine(eventsPerSecond),
      `  capture RSS while catching up: median ${median.toFixed(0)} MB, peak ${peak.toFixed(0)} MB`,
      `  the model topic on the broker's disk: ${(onDisk / 1024 / 1024).toFixed(1)} MB, ${(onDisk / transactions).toFixed(0)} bytes per event (${(((onDisk / transactions) * 1e6) / 1024 ** 3).toFixed(2)} GB per million events, one replica, no compression, indexes apart)`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await sql.end().catch(() => undefined);
    await stack.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

function startCapture(env: Record<string, string>): ChildProcess {
  return startAppProcess('capture', env);
}

void main().catch((error: Error) => {
  process.stderr.write(`capture-throughput failed: ${error.stack}\n`);
  process.exit(1);
});
