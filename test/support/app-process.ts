import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** One app as its own process (`node dist/apps/<app>/main`), for tests that kill it. */
export class AppProcess {
  private child?: ChildProcess;
  readonly lines: Array<Record<string, unknown>> = [];

  constructor(
    private readonly app: string,
    private readonly env: Record<string, string>,
  ) {}

  start(): void {
    const child = spawn(
      process.execPath,
      [join(__dirname, '..', '..', 'dist', 'apps', this.app, 'main')],
      {
        env: { PATH: process.env.PATH ?? '', ...this.env },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let buffered = '';
    child.stdout?.on('data', (d: Buffer) => {
      buffered += d.toString();
      const complete = buffered.split('\n');
      buffered = complete.pop() ?? '';
      for (const line of complete.filter(Boolean)) this.lines.push(JSON.parse(line));
    });
    this.child = child;
  }

  async waitForLog(pattern: RegExp, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.lines.some((l) => pattern.test(String(l.msg)))) {
      if (Date.now() > deadline)
        throw new Error(
          `${this.app} did not log ${pattern}: ${JSON.stringify(this.lines.slice(-5))}`,
        );
      if (this.child?.exitCode !== null)
        throw new Error(`${this.app} exited: ${JSON.stringify(this.lines.slice(-5))}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** kill -9: no shutdown hook runs, nothing is flushed. */
  kill9(): Promise<void> {
    return this.stop('SIGKILL');
  }

  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }
}
