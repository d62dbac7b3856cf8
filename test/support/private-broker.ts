import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive, LocalKafka, waitForExit } from '@odoo-stream/local-infra';

/**
 * A Kafka broker of one suite's own, for tests that kill the broker (the run's shared broker
 * serves the other suites meanwhile). Restarts on the same data directory, as after a crash.
 */
export class PrivateBroker {
  private readonly dir = mkdtempSync(join(tmpdir(), 'odoo-stream-broker-'));
  private readonly kafka = new LocalKafka({ dir: this.dir, heapMb: 384 });
  address = '';

  async start(): Promise<string> {
    this.address = await this.kafka.start();
    return this.address;
  }

  /** kill -9: no shutdown, no flush; the data directory stays as the crash left it. */
  async kill9(): Promise<void> {
    const pid = Number(readFileSync(join(this.dir, 'broker.pid'), 'utf8'));
    if (pid > 0 && isAlive(pid)) {
      process.kill(pid, 'SIGKILL');
      await waitForExit(pid, 10_000);
    }
  }

  /** Starts again on the same data directory and port. */
  async restart(): Promise<void> {
    const address = await this.kafka.start();
    if (address !== this.address)
      throw new Error(`the broker came back on ${address}, not ${this.address}`);
  }

  async stop(): Promise<void> {
    await this.kafka.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
