/**
 * Debezium's PostgreSQL connector in Kafka Connect standalone, as its users run it: pgoutput, its
 * own slot and publication, JsonConverter with schemas, one topic per table. Jars from Maven
 * Central (scripts/debezium/pom.xml), fetched once into .cache/debezium. Bench-only.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '@odoo-stream/config';

const run = promisify(execFile);

export interface DebeziumSource {
  brokers: string;
  /** The database's URL (superuser), its slot and publication: both made before the connector. */
  postgresUrl: string;
  slot: string;
  publication: string;
  /** Odoo table names (public schema). */
  tables: string[];
  topicPrefix: string;
}

export async function debeziumLibs(): Promise<string> {
  const { stdout } = await run('bash', [join(repoRoot(), 'scripts', 'fetch-jars.sh'), 'debezium']);
  return stdout.trim();
}

/** Debezium's topic of one table. */
export const debeziumTopic = (prefix: string, table: string) => `${prefix}.public.${table}`;

/** A running Connect worker with the connector; `stop()` ends it and removes its work folder. */
export class DebeziumConnect {
  private constructor(
    readonly process: ChildProcess,
    private readonly workDir: string,
  ) {}

  /** `libs`: the jar folder (debeziumLibs(), fetched before anything is timed). */
  static start(libs: string, source: DebeziumSource): DebeziumConnect {
    const workDir = mkdtempSync(join(tmpdir(), 'odoo-stream-bench-debezium-'));
    const db = new URL(source.postgresUrl);
    const properties = (entries: Record<string, string | number>) =>
      Object.entries(entries)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n');
    writeFileSync(
      join(workDir, 'worker.properties'),
      properties({
        'bootstrap.servers': source.brokers,
        'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'offset.storage.file.filename': join(workDir, 'offsets'),
        'offset.flush.interval.ms': 1000,
        // Any free port: nothing calls the REST API.
        listeners: 'http://127.0.0.1:0',
        'plugin.discovery': 'service_load',
      }),
    );
    writeFileSync(
      join(workDir, 'connector.properties'),
      properties({
        name: `bench-${source.topicPrefix}`,
        'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
        'plugin.name': 'pgoutput',
        'database.hostname': db.hostname,
        'database.port': db.port || 5432,
        'database.user': decodeURIComponent(db.username),
        'database.password': decodeURIComponent(db.password),
        'database.dbname': db.pathname.slice(1),
        'topic.prefix': source.topicPrefix,
        'slot.name': source.slot,
        'publication.name': source.publication,
        'publication.autocreate.mode': 'disabled',
        'table.include.list': source.tables.map((t) => `public.${t}`).join(','),
        // The slot exists before the writes: stream them, no snapshot of what was there.
        'snapshot.mode': 'no_data',
        // One message per row change, as odoo-stream's count is one per event.
        'tombstones.on.delete': 'false',
        'topic.creation.default.replication.factor': 1,
        'topic.creation.default.partitions': 1,
      }),
    );
    writeFileSync(
      join(workDir, 'log4j.properties'),
      [
        'log4j.rootLogger=WARN, file',
        'log4j.appender.file=org.apache.log4j.FileAppender',
        `log4j.appender.file.File=${join(workDir, 'connect.log')}`,
        'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
        'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
      ].join('\n'),
    );
    const log = createWriteStream(join(workDir, 'stdout.log'));
    const child = spawn(
      'java',
      [
        '-Xmx1g',
        `-Dlog4j.configuration=file:${join(workDir, 'log4j.properties')}`,
        '-cp',
        `${libs}/*`,
        'org.apache.kafka.connect.cli.ConnectStandalone',
        join(workDir, 'worker.properties'),
        join(workDir, 'connector.properties'),
      ],
      { cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    return new DebeziumConnect(child, workDir);
  }

  /** Once the worker has exited on its own: why, from the end of its log. */
  exitReason(): string | undefined {
    if (this.process.exitCode === null) return undefined;
    const log = join(this.workDir, 'connect.log');
    const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-15).join('\n') : '';
    return `Kafka Connect exited with ${this.process.exitCode}: ${tail}`;
  }

  async stop(): Promise<void> {
    if (this.process.exitCode === null) {
      await new Promise<void>((resolve) => {
        // Connect's shutdown hook now and then waits forever on its REST server: kill it then.
        const kill = setTimeout(() => this.process.kill('SIGKILL'), 15_000);
        this.process.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        this.process.kill('SIGTERM');
      });
    }
    rmSync(this.workDir, { recursive: true, force: true });
  }
}
