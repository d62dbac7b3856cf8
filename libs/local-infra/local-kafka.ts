import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { probeKafka } from '@odoo-stream/kafka';
import { commandLine, isAlive, run, tail, terminate } from './child-process';
import { freePort, portIsFree } from './free-port';
import { repoRoot } from '@odoo-stream/config';

export interface LocalKafkaOptions {
  /** Holds the broker's config, log segments, pid and log file; kept between runs. */
  dir: string;
  heapMb?: number;
  startTimeoutMs?: number;
  /**
   * Class data sharing: the first run of a Kafka version writes the classes the broker loaded to
   * an archive in `dir` when it stops (46 MB); later runs map it and the broker answers about a
   * second sooner. Worth it for a home that is started again and again, not for a throw-away one.
   */
  shareClasses?: boolean;
  log?: (message: string) => void;
  /**
   * More listeners beside PLAINTEXT (which the broker itself and the start-up probe use), for
   * example SSL and SASL_SSL to try secured clients; with their settings and `kafka-storage
   * format` arguments (SCRAM users: `--add-scram`).
   */
  secured?: {
    listeners: Array<{ name: string; protocol: 'SSL' | 'SASL_SSL' | 'SASL_PLAINTEXT' }>;
    properties: string[];
    formatArgs: string[];
  };
}

/**
 * A single-node Apache Kafka (KRaft, broker and controller in one JVM) from the official jars,
 * for `npm start` and the tests. Production points KAFKA_BROKERS at a real cluster instead.
 */
export class LocalKafka {
  private pid?: number;
  private port?: number;
  private readonly listenerPorts = new Map<string, number>();

  constructor(private readonly options: LocalKafkaOptions) {}

  get bootstrapAddress(): string {
    if (!this.port) throw new Error('the local Kafka broker is not started');
    return `127.0.0.1:${this.port}`;
  }

  /** `127.0.0.1:<port>` of a listener given in `secured`. */
  listenerAddress(name: string): string {
    const port = this.listenerPorts.get(name);
    if (!port) throw new Error(`no listener ${name} on the local Kafka broker`);
    return `127.0.0.1:${port}`;
  }

  get logFile(): string {
    return join(this.options.dir, 'broker.log');
  }

  async start(): Promise<string> {
    const { dir } = this.options;
    const log = this.options.log ?? (() => undefined);
    mkdirSync(dir, { recursive: true });
    const libs = await fetchKafkaJars();
    await this.stopLeftover();

    const ports = await this.choosePorts();
    this.port = ports.broker;
    const properties = join(dir, 'server.properties');
    const secured = this.options.secured;
    for (const listener of secured?.listeners ?? []) {
      if (!this.listenerPorts.has(listener.name))
        this.listenerPorts.set(listener.name, await freePort());
    }
    writeFileSync(
      properties,
      serverProperties(dir, ports.broker, ports.controller, secured, this.listenerPorts),
    );
    writeFileSync(join(dir, 'log4j.properties'), LOG4J);
    const classpath = join(libs, '*');

    if (!existsSync(join(dir, 'data', 'meta.properties'))) {
      log(`formatting Kafka storage in ${join(dir, 'data')}`);
      await run('java', [
        '-cp',
        classpath,
        'kafka.tools.StorageTool',
        'format',
        `--cluster-id=${clusterId()}`,
        '-c',
        properties,
        ...(secured?.formatArgs ?? []),
      ]);
    }

    const out = openSync(this.logFile, 'a');
    const archive = join(dir, `classes-${basename(dirname(libs))}.jsa`);
    const classData = !this.options.shareClasses
      ? []
      : existsSync(archive)
        ? [`-XX:SharedArchiveFile=${archive}`]
        : [`-XX:ArchiveClassesAtExit=${archive}`];
    const heap = this.options.heapMb ?? 512;
    const child = spawn(
      'java',
      [
        `-Xmx${heap}m`,
        `-Xms${Math.min(heap, 256)}m`,
        '-XX:+UseG1GC',
        ...classData,
        '-Djava.awt.headless=true',
        `-Dlog4j.configuration=file:${join(dir, 'log4j.properties')}`,
        `-Dkafka.logs.dir=${dir}`,
        '-cp',
        classpath,
        'kafka.Kafka',
        properties,
      ],
      // Own process group: a Ctrl-C in the terminal reaches odoo-stream, which stops the broker
      // after the apps have let go of it.
      { detached: true, stdio: ['ignore', out, out] },
    );
    if (!child.pid) throw new Error('could not start java for the local Kafka broker');
    this.pid = child.pid;
    writeFileSync(join(dir, 'broker.pid'), String(child.pid));
    let exited: number | null | undefined;
    child.on('exit', (code) => (exited = code));
    child.unref();

    const deadline = Date.now() + (this.options.startTimeoutMs ?? 90_000);
    for (;;) {
      if (exited !== undefined) {
        throw new Error(
          `the local Kafka broker exited with ${exited}; see ${this.logFile}:\n${tail(this.logFile)}`,
        );
      }
      const probe = await probeKafka({
        kafka: {
          clientId: 'odoo-stream-local',
          brokers: [{ host: '127.0.0.1', port: ports.broker }],
        },
      });
      if (probe.ok) break;
      if (Date.now() > deadline) {
        await this.stop();
        throw new Error(
          `the local Kafka broker did not answer in time; see ${this.logFile}:\n${tail(this.logFile)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    return this.bootstrapAddress;
  }

  async stop(): Promise<void> {
    if (this.pid) await terminate(this.pid);
    this.pid = undefined;
    rmSync(join(this.options.dir, 'broker.pid'), { force: true });
  }

  /** A broker left running by a run that was killed holds the storage lock: stop it first. */
  private async stopLeftover(): Promise<void> {
    const pidFile = join(this.options.dir, 'broker.pid');
    if (!existsSync(pidFile)) return;
    const pid = Number(readFileSync(pidFile, 'utf8'));
    if (pid > 0 && isAlive(pid) && commandLine(pid).includes(this.options.dir)) {
      this.options.log?.(
        `stopping a local Kafka broker left over from an earlier run (pid ${pid})`,
      );
      await terminate(pid);
    }
    rmSync(pidFile, { force: true });
  }

  /** The same ports as last time when they are free, so the metadata log's voters still match. */
  private async choosePorts(): Promise<{ broker: number; controller: number }> {
    const file = join(this.options.dir, 'ports.json');
    if (existsSync(file)) {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as {
        broker: number;
        controller: number;
      };
      if ((await portIsFree(saved.broker)) && (await portIsFree(saved.controller))) return saved;
    }
    const broker = await freePort();
    let controller = await freePort();
    while (controller === broker) controller = await freePort();
    writeFileSync(file, JSON.stringify({ broker, controller }));
    return { broker, controller };
  }
}

/** Runs scripts/fetch-kafka.sh (a no-op when the jars are cached) and returns the jar folder. */
export async function fetchKafkaJars(): Promise<string> {
  const { stdout } = await run('bash', [join(repoRoot(), 'scripts', 'fetch-kafka.sh')]);
  return stdout.trim().split('\n').pop() as string;
}

function serverProperties(
  dir: string,
  brokerPort: number,
  controllerPort: number,
  secured: LocalKafkaOptions['secured'],
  ports: ReadonlyMap<string, number>,
): string {
  const extra = (secured?.listeners ?? []).map((l) => ({ ...l, port: ports.get(l.name) }));
  const listeners = extra.map((l) => `,${l.name}://127.0.0.1:${l.port}`).join('');
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${brokerPort},CONTROLLER://127.0.0.1:${controllerPort}${listeners}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${brokerPort}${listeners}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    `listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT${extra.map((l) => `,${l.name}:${l.protocol}`).join('')}`,
    ...(secured?.properties ?? []),
    `log.dirs=${join(dir, 'data')}`,
    'num.partitions=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=10',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    // odoo-stream creates its topics itself, with the partitions and settings it needs.
    'auto.create.topics.enable=false',
    '',
  ].join('\n');
}

const LOG4J = [
  'log4j.rootLogger=INFO, file',
  'log4j.appender.file=org.apache.log4j.ConsoleAppender',
  'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
  'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
  'log4j.logger.kafka=WARN',
  'log4j.logger.org.apache.kafka=WARN',
  'log4j.logger.kafka.server.KafkaServer=INFO',
  'log4j.logger.kafka.server.KafkaRaftServer=INFO',
  '',
].join('\n');

/** Kafka cluster ids are 16 random bytes in unpadded base64url. */
function clusterId(): string {
  return randomBytes(16).toString('base64url');
}
