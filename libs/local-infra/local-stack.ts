import { mkdirSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LocalKafka } from './local-kafka';
import { LocalPostgres } from './local-postgres';

export interface LocalStackOptions {
  /** Where the broker and the cluster keep their data. */
  home: string;
  kafka: boolean;
  postgres: boolean;
  postgresSettings?: Record<string, string>;
  /** Keep the broker's class-data archive in the home (a home that is started again and again). */
  shareBrokerClasses?: boolean;
  log?: (message: string) => void;
}

/** Starts the local Kafka broker and PostgreSQL cluster that a first run or a test needs. */
export class LocalStack {
  readonly kafka?: LocalKafka;
  readonly postgres?: LocalPostgres;

  constructor(private readonly options: LocalStackOptions) {
    mkdirSync(options.home, { recursive: true });
    if (options.kafka)
      this.kafka = new LocalKafka({
        dir: join(options.home, 'kafka'),
        shareClasses: options.shareBrokerClasses,
        log: options.log,
      });
    if (options.postgres) {
      this.postgres = new LocalPostgres({
        dir: join(options.home, 'postgres'),
        settings: options.postgresSettings,
        log: options.log,
      });
    }
  }

  async start(): Promise<void> {
    // Both at once: the broker's JVM start dominates, initdb runs meanwhile.
    const begun = performance.now();
    const timed = async (what: string, start?: () => Promise<unknown>) => {
      if (!start) return;
      await start();
      const seconds = ((performance.now() - begun) / 1000).toFixed(1);
      this.options.log?.(`${what} ready in ${seconds} s`);
    };
    const started = await Promise.allSettled([
      timed(`local Kafka broker`, this.kafka && (() => (this.kafka as LocalKafka).start())),
      timed(`local PostgreSQL`, this.postgres && (() => (this.postgres as LocalPostgres).start())),
    ]);
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await this.stop();
      throw failed.reason;
    }
  }

  /** Stops both, the broker first; a failure to stop one does not keep the other running. */
  async stop(): Promise<void> {
    const errors: unknown[] = [];
    for (const part of [this.kafka, this.postgres]) {
      await part?.stop().catch((e: unknown) => errors.push(e));
    }
    if (errors.length) throw errors[0];
  }
}

/**
 * Where `npm start` keeps its local broker and cluster: ODOO_STREAM_HOME, else .data in the
 * checkout. As root, the cluster is run by the postgres user, which must reach that folder; when
 * it cannot (a checkout inside a private folder), a folder under the system's temp dir is used.
 */
export function localStackHome(env: NodeJS.ProcessEnv, checkout: string): string {
  if (env.ODOO_STREAM_HOME) return resolve(env.ODOO_STREAM_HOME);
  const preferred = join(checkout, '.data');
  if (process.getuid?.() !== 0 || reachableByOthers(checkout)) return preferred;
  const id = createHash('sha1').update(checkout).digest('hex').slice(0, 12);
  return join(tmpdir(), `odoo-stream-${id}`);
}

/** True when every folder down to `path` lets other users through (the x bit for others). */
function reachableByOthers(path: string): boolean {
  let current = resolve(path);
  for (;;) {
    let mode: number;
    try {
      mode = statSync(current).mode;
    } catch {
      return false;
    }
    if ((mode & 0o001) === 0) return false;
    const parent = resolve(current, '..');
    if (parent === current) return true;
    current = parent;
  }
}
