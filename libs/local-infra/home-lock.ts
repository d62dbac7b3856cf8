import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { commandLine, isAlive } from './child-process';

export class HomeInUseError extends Error {
  override name = 'HomeInUseError';
}

/**
 * One `npm start` per ODOO_STREAM_HOME: the broker and cluster there belong to the run that
 * holds `<home>/odoo-stream.pid`. A second run is refused before it touches anything; a file
 * left by a run that was killed (its pid no longer alive) is taken over.
 */
export class HomeLock {
  private held = false;

  constructor(private readonly home: string) {}

  get file(): string {
    return join(this.home, 'odoo-stream.pid');
  }

  acquire(): void {
    mkdirSync(this.home, { recursive: true });
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(this.file, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        this.held = true;
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const owner = Number(readFileSync(this.file, 'utf8').trim());
        // A pid the system gave to another program since then does not count.
        if (
          owner > 0 &&
          owner !== process.pid &&
          isAlive(owner) &&
          /node/.test(commandLine(owner))
        ) {
          throw new HomeInUseError(
            `odoo-stream is already running in ${this.home} (pid ${owner}); stop it first (Ctrl-C in its terminal, or kill ${owner}), or set ODOO_STREAM_HOME to another folder`,
          );
        }
        // Left by a run that was killed: nobody holds it.
        rmSync(this.file, { force: true });
      }
    }
    throw new HomeInUseError(
      `could not take ${this.file}; another run is starting in ${this.home}`,
    );
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    rmSync(this.file, { force: true });
  }
}
