import {
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { run, tail } from './child-process';
import { freePort, portIsFree } from './free-port';
import { repoRoot } from '@odoo-stream/config';

export interface LocalPostgresOptions {
  /** Holds the cluster's data, socket and log; kept between runs. */
  dir: string;
  log?: (message: string) => void;
  /** Extra server settings, for example { fsync: 'off' } for throw-away test clusters. */
  settings?: Record<string, string>;
}

const SUPERUSER = 'postgres';

/**
 * A private PostgreSQL cluster with logical decoding on, from Debian's binaries, listening on
 * 127.0.0.1 only. It never touches the machine's own server or its settings.
 */
export class LocalPostgres {
  private port?: number;
  private binDir?: string;

  constructor(private readonly options: LocalPostgresOptions) {}

  get dataDir(): string {
    return join(this.options.dir, 'data');
  }

  get logFile(): string {
    return join(this.options.dir, 'postgres.log');
  }

  /** postgres://postgres@127.0.0.1:<port>/<database> (trust authentication on loopback). */
  url(database = 'postgres'): string {
    if (!this.port) throw new Error('the local PostgreSQL cluster is not started');
    return `postgres://${SUPERUSER}@127.0.0.1:${this.port}/${database}`;
  }

  async start(): Promise<void> {
    const log = this.options.log ?? (() => undefined);
    this.binDir = await postgresBinDir();
    this.prepareDir();

    if (!existsSync(join(this.dataDir, 'PG_VERSION'))) {
      log(`creating a PostgreSQL cluster in ${this.dataDir}`);
      await this.pg('initdb', [
        '-D',
        this.dataDir,
        '-U',
        SUPERUSER,
        '--auth=trust',
        '-E',
        'UTF8',
        '--locale=C',
      ]);
    }
    // A cluster left running by a run that was killed: stop it, then start it on our terms.
    if (existsSync(join(this.dataDir, 'postmaster.pid'))) {
      await this.pg('pg_ctl', ['-D', this.dataDir, '-m', 'fast', '-w', 'stop']).catch(
        () => undefined,
      );
    }

    this.port = await this.choosePort();
    const settings: Record<string, string> = {
      wal_level: 'logical',
      max_replication_slots: '20',
      max_wal_senders: '20',
      listen_addresses: '127.0.0.1',
      port: String(this.port),
      unix_socket_directories: join(this.options.dir, 'socket'),
      ...this.options.settings,
    };
    const serverOptions = Object.entries(settings)
      .map(([k, v]) => `-c ${k}=${v}`)
      .join(' ');
    await this.pg(
      'pg_ctl',
      ['-D', this.dataDir, '-l', this.logFile, '-w', '-t', '60', '-o', serverOptions, 'start'],
      // Own session: a Ctrl-C in the terminal reaches odoo-stream, which stops the cluster last.
      true,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${tail(this.logFile)}`);
    });
  }

  async stop(): Promise<void> {
    if (!this.binDir || !existsSync(join(this.dataDir, 'postmaster.pid'))) return;
    await this.pg('pg_ctl', ['-D', this.dataDir, '-m', 'fast', '-w', 'stop']);
  }

  async createDatabase(name: string): Promise<string> {
    const client = new Client({ connectionString: this.url() });
    await client.connect();
    try {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
        name,
      ]);
      if (!rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    } finally {
      await client.end();
    }
    return this.url(name);
  }

  /** initdb and postgres refuse to run as root: as root, the cluster belongs to the postgres user. */
  private prepareDir(): void {
    mkdirSync(join(this.options.dir, 'socket'), { recursive: true });
    const owner = runsAsRoot() ? postgresUser() : undefined;
    if (owner) {
      for (const path of [this.options.dir, join(this.options.dir, 'socket')]) {
        chownSync(path, owner.uid, owner.gid);
      }
    }
  }

  private async choosePort(): Promise<number> {
    const file = join(this.options.dir, 'port');
    if (existsSync(file)) {
      const saved = Number(readFileSync(file, 'utf8'));
      if (saved > 0 && (await portIsFree(saved))) return saved;
    }
    const port = await freePort();
    writeFileSync(file, String(port));
    return port;
  }

  private pg(tool: string, args: string[], detached = false) {
    const binary = join(this.binDir as string, tool);
    const [command, fullArgs] = runsAsRoot()
      ? ['runuser', ['-u', SUPERUSER, '--', binary, ...args]]
      : [binary, args];
    return run(command, fullArgs, { detached });
  }
}

function runsAsRoot(): boolean {
  return process.getuid?.() === 0;
}

function postgresUser(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${SUPERUSER}:`));
  if (!line) {
    throw new Error(
      `running as root needs a '${SUPERUSER}' system user to own the private cluster (it comes with Debian's postgresql package)`,
    );
  }
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** The newest Debian PostgreSQL server binaries; installs them (scripts/install-postgres.sh) when missing. */
export async function postgresBinDir(): Promise<string> {
  const found = findBinDir();
  if (found) return found;
  await run('bash', [join(repoRoot(), 'scripts', 'install-postgres.sh')]);
  const installed = findBinDir();
  if (!installed)
    throw new Error(
      'PostgreSQL server binaries (initdb, pg_ctl) were not found after installing them',
    );
  return installed;
}

function findBinDir(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(base, versions[0], 'bin') : undefined;
}
