import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@odoo-stream/config';
import { LocalStack } from '@odoo-stream/local-infra';
import { installDemoSchema, installDemoUsers } from '@odoo-stream/odoo';
import { Client } from 'pg';

/**
 * `node dist/apps/<app>/main` with only the given environment, and the node flags its
 * `npm run start:<app>` gives (the app is measured as it runs); BENCH_NODE_ARGS replace them.
 */
export function startAppProcess(app: string, env: Record<string, string>): ChildProcess {
  const flags = process.env.BENCH_NODE_ARGS ?? startFlags(app);
  return spawn(
    process.execPath,
    [...flags.split(' ').filter(Boolean), join(__dirname, '..', 'apps', app, 'main')],
    { env, stdio: ['ignore', process.env.BENCH_APP_LOGS ? 'inherit' : 'ignore', 'inherit'] },
  );
}

/** The node flags of package.json's `start:<app>` script (`node <flags> dist/apps/<app>/main`). */
export function startFlags(app: string): string {
  const manifest = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8'));
  const script: string = manifest.scripts?.[`start:${app}`] ?? '';
  return /^node((?: --\S+)*) dist\//.exec(script)?.[1]?.trim() ?? '';
}

export function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs the command line; resolves with its wall time, rejects with its output on failure. */
export function runCommandLine(
  env: Record<string, string>,
  args: string[],
  progress: (s: string) => void,
) {
  return new Promise<number>((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [join(__dirname, '..', 'apps', 'cli', 'main'), ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (d: Buffer) => {
      output += d.toString();
      for (const line of d.toString().split('\n').filter(Boolean)) progress(`  ${line.trim()}`);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('exit', (code) =>
      code === 0
        ? resolve((performance.now() - started) / 1000)
        : reject(new Error(`odoo-stream ${args.join(' ')} exited ${code}:\n${output}`)),
    );
  });
}

/**
 * Runs a bench on a private Kafka broker and PostgreSQL cluster, removed afterwards: `body` gets
 * the stack and a progress printer (stderr) and returns the lines of figures to print (stdout).
 */
export function runBench(
  name: string,
  body: (stack: LocalStack, progress: (step: string) => void) => Promise<string[]>,
): void {
  void (async () => {
    const home = mkdtempSync(join(tmpdir(), 'odoo-stream-bench-'));
    chmodSync(home, 0o755);
    const stack = new LocalStack({ home, kafka: true, postgres: true });
    try {
      await stack.start();
      const lines = await body(stack, (step) => process.stderr.write(`${name}: ${step}\n`));
      process.stdout.write(`${lines.join('\n')}\n`);
    } finally {
      await stack.stop();
      rmSync(home, { recursive: true, force: true });
    }
  })().catch((error: Error) => {
    process.stderr.write(`${name} failed: ${error.stack}\n`);
    process.exit(1);
  });
}

/** A demo Odoo database (schema and users) and an empty service database on the stack. */
export async function benchDatabases(stack: LocalStack) {
  const odooUrl = await stack.postgres!.createDatabase('odoo_bench');
  const streamUrl = await stack.postgres!.createDatabase('stream_bench');
  await installDemoSchema(odooUrl);
  await installDemoUsers(odooUrl);
  return { odooUrl, streamUrl };
}

/** The apps' environment on the bench stack: res.partner tracked, logs at warn unless asked. */
export function benchEnv(
  stack: LocalStack,
  urls: { odooUrl: string; streamUrl: string },
  extra: Record<string, string>,
): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    KAFKA_BROKERS: stack.kafka!.bootstrapAddress,
    ODOO_DATABASE_URL: urls.odooUrl,
    DATABASE_URL: urls.streamUrl,
    TRACKED_MODELS: 'res.partner',
    LOG_LEVEL: process.env.BENCH_APP_LOGS ? 'info' : 'warn',
    ...extra,
  };
}

/**
 * The slot is streaming: its walsender has started replication, which capture does only after
 * its snapshot is complete and recorded (a capture stopped during its snapshot starts afresh, on
 * a new slot, and would miss writes made meanwhile). An active slot alone is not enough: the
 * connection that made it holds it during the snapshot.
 */
export async function slotStreaming(sql: Client, slot: string): Promise<boolean> {
  const { rows } = await sql.query<{ state: string }>(
    `SELECT r.state FROM pg_replication_slots s JOIN pg_stat_replication r ON r.pid = s.active_pid
      WHERE s.slot_name = $1`,
    [slot],
  );
  return rows[0]?.state === 'streaming' || rows[0]?.state === 'catchup';
}

/** The slot has confirmed every change up to `lsn`: its reader caught up with the writes. */
export async function slotConfirmedPast(sql: Client, slot: string, lsn: string): Promise<boolean> {
  const { rows } = await sql.query<{ done: boolean }>(
    `SELECT confirmed_flush_lsn >= $2::pg_lsn AS done FROM pg_replication_slots WHERE slot_name = $1`,
    [slot, lsn],
  );
  return rows[0]?.done === true;
}

/** Samples a process's resident memory every 100 ms until stop(), which gives peak and median. */
export function sampleRss(pid: number) {
  const mb: number[] = [];
  const timer = setInterval(() => {
    const kb = rssKb(pid);
    if (kb) mb.push(kb / 1024);
  }, 100);
  return {
    stop(): { peakMb: number; medianMb: number } {
      clearInterval(timer);
      const sorted = [...mb].sort((a, b) => a - b);
      return { peakMb: sorted.at(-1) ?? 0, medianMb: sorted[Math.floor(sorted.length / 2)] ?? 0 };
    },
  };
}

/** A process's resident memory, in kB (undefined once it has exited). */
function rssKb(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}
