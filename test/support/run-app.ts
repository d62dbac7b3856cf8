import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface AppExit {
  code: number | null;
  lines: string[];
  stderr: string;
  ms: number;
}

/** Runs `node dist/apps/<app>/main` as an operator would, with only the given environment. */
export function runAppToExit(
  app: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<AppExit> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(__dirname, '..', '..', 'dist', 'apps', app, 'main')],
      {
        env: { PATH: process.env.PATH ?? '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`${app} did not exit within ${timeoutMs} ms; it printed:\n${stdout}${stderr}`),
      );
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        code,
        lines: stdout.split('\n').filter(Boolean),
        stderr,
        ms: Date.now() - started,
      });
    });
  });
}
