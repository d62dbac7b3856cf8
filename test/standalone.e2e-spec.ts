import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@odoo-stream/local-infra';
import { installDemoSchema } from '@odoo-stream/odoo';
import { runAppToExit } from './support/run-app';
import { createTestDatabase, pollUntil, testKafkaBrokers } from './support/test-stack';

const MAIN = join(__dirname, '..', 'dist', 'apps', 'standalone', 'main');

interface Started {
  child: ChildProcess;
  ready: Record<string, unknown>;
  lines: () => Array<Record<string, unknown>>;
}

/** Starts `node dist/apps/standalone/main` (what `npm start` runs) and waits for its ready line. */
function startStandalone(env: Record<string, string>, timeoutMs = 120_000): Promise<Started> {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const parsed: Array<Record<string, unknown>> = [];
  let buffered = '';
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `not ready within ${timeoutMs} ms:\n${JSON.stringify(parsed.slice(-10))}\n${stderr}`,
        ),
      );
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(
        new Error(
          `exited with ${code} before ready:\n${JSON.stringify(parsed.slice(-10))}\n${stderr}`,
        ),
      );
    });
    child.stdout?.on('data', (d: Buffer) => {
      buffered += d.toString();
      const complete = buffered.split('\n');
      buffered = complete.pop() ?? '';
      for (const line of complete.filter(Boolean)) {
        const entry = JSON.parse(line) as Record<string, unknown>;
        parsed.push(entry);
        if (String(entry.msg).startsWith('odoo-stream ready')) {
          clearTimeout(timer);
          child.removeAllListeners('exit');
          resolve({ child, ready: entry, lines: () => parsed });
        }
      }
    });
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

/** Processes whose command line mentions the path (java, postgres), as `pgrep -f` finds them. */
function processesUsing(path: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', path], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

describe('npm start (all four apps in one process)', () => {
  let home: string;

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'odoo-stream-start-'));
    chmodSync(home, 0o755);
  });

  afterEach(() => {
    for (const line of processesUsing(home)) process.kill(Number(line.split(' ')[0]), 'SIGKILL');
    rmSync(home, { recursive: true, force: true });
  });

  it('starts local Kafka and PostgreSQL, is ready, and leaves nothing running after Ctrl-C', async () => {
    const port = await freePort();
    const { child, ready, lines } = await startStandalone({
      ODOO_STREAM_HOME: home,
      API_PORT: String(port),
    });
    expect(ready).toMatchObject({ app: 'standalone', api: `http://127.0.0.1:${port}` });
    expect(ready.kafka).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(ready.database).toMatch(/\/odoo_stream$/);
    expect(ready.odoo_database).toMatch(/\/odoo_demo$/);
    expect(processesUsing(home).some((p) => p.includes('java'))).toBe(true);
    expect(processesUsing(home).some((p) => p.includes('postgres'))).toBe(true);

    const response = await fetch(`http://127.0.0.1:${port}/health/ready`);
    expect(response.status).toBe(200);
    // The dashboard is served at / with nothing else to run.
    expect(ready.dashboard).toBe(`http://127.0.0.1:${port}/`);
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('<div id="app">');
    const script = /src="(\/dashboard\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect((await fetch(`http://127.0.0.1:${port}${script}`)).status).toBe(200);

    // A second start in the same folder refuses at once, naming the running one, and touches
    // nothing of it.
    const second = await runAppToExit('standalone', {
      ODOO_STREAM_HOME: home,
      API_PORT: String(await freePort()),
    });
    expect(second.code).toBe(1);
    expect(second.lines.map((l) => JSON.parse(l).msg)).toContainEqual(
      `odoo-stream is already running in ${home} (pid ${child.pid}); stop it first (Ctrl-C in its terminal, or kill ${child.pid}), or set ODOO_STREAM_HOME to another folder`,
    );
    // At once: no waiting on the first run's broker or cluster (10 s seen under heavy load).
    expect(second.ms).toBeLessThan(30_000);
    expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);

    // The demo's changes reach the pull feed, with the key the ready line points to.
    const key = readFileSync(String(ready.api_key_file), 'utf8').trim();
    let events: Array<{ user_name: string | null }> = [];
    for (let tries = 0; events.length === 0 && tries < 150; tries++) {
      const pulled = await fetch(`http://127.0.0.1:${port}/api/webhooks/pull`, {
        headers: { 'X-API-Key': key },
      });
      expect(pulled.status).toBe(200);
      events = ((await pulled.json()) as { events: typeof events }).events;
      if (events.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(events.length).toBeGreaterThan(0);
    expect(events[0].user_name).toBe('Mitchell Admin');

    // The key is in its file, never in a log line (the requests above sent it too).
    expect(lines().filter((l) => JSON.stringify(l).includes(key))).toEqual([]);

    child.kill('SIGINT');
    expect(await exitOf(child)).toBe(0);
    expect(processesUsing(home)).toEqual([]);
  });

  it('stops where it is on Ctrl-C during start-up: no app started, nothing left running', async () => {
    const child = spawn(process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH ?? '',
        ODOO_STREAM_HOME: home,
        API_PORT: String(await freePort()),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: Array<Record<string, unknown>> = [];
    let buffered = '';
    child.stdout?.on('data', (d: Buffer) => {
      buffered += d.toString();
      const complete = buffered.split('\n');
      buffered = complete.pop() ?? '';
      for (const line of complete.filter(Boolean)) lines.push(JSON.parse(line));
    });
    await pollUntil(
      async () =>
        lines.some((l) => String(l.msg).startsWith('starting local')) ? true : undefined,
      'the local stack to be starting',
    );
    child.kill('SIGINT');
    expect(await exitOf(child)).toBe(0);
    const messages = lines.map((l) => String(l.msg));
    expect(messages).toContain('SIGINT received: stopping');
    expect(messages.some((m) => m.startsWith('odoo-stream ready'))).toBe(false);
    expect(
      lines.some((l) => ['capture', 'projector', 'dispatcher', 'api'].includes(String(l.app))),
    ).toBe(false);
    expect(processesUsing(home)).toEqual([]);
    expect(existsSync(join(home, 'odoo-stream.pid'))).toBe(false);
  });

  it('starts nothing of its own when KAFKA_BROKERS, DATABASE_URL and ODOO_DATABASE_URL are set', async () => {
    const port = await freePort();
    const odooUrl = await createTestDatabase('standalone_odoo');
    await installDemoSchema(odooUrl);
    const env = {
      ODOO_STREAM_HOME: join(home, 'unused'),
      API_PORT: String(port),
      KAFKA_BROKERS: testKafkaBrokers(),
      DATABASE_URL: await createTestDatabase('standalone'),
      ODOO_DATABASE_URL: odooUrl,
      CAPTURE_SLOT: `standalone_${port}`,
    };
    const { child, ready, lines } = await startStandalone(env);
    expect(ready.kafka).toBe(testKafkaBrokers());
    expect(lines().some((l) => String(l.msg).startsWith('starting local'))).toBe(false);
    expect(existsSync(join(home, 'unused'))).toBe(false);
    // Every line is JSON naming the app that wrote it.
    expect(new Set(lines().map((l) => l.app))).toEqual(
      new Set(['standalone', 'capture', 'projector', 'dispatcher', 'api']),
    );

    child.kill('SIGTERM');
    expect(await exitOf(child)).toBe(0);
  });
});
