import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

/** What a bench gets: where Kafka and PostgreSQL are, its sizes, and a progress printer. */
export interface BenchContext {
  kafkaBrokers: string;
  /** The PostgreSQL server's URL for a database name (superuser, logical decoding on). */
  postgresUrl: (database: string) => string;
  quick: boolean;
  rounds: number;
  rowChanges?: number;
  /** Events the rebuild bench puts on the topics, webhooks the delivery bench sends. */
  events?: number;
  /** Bytes of a topic's log segments, when the broker's data folder is known. */
  topicBytes?: (topic: string) => number;
  progress: (step: string) => void;
}

export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The target, as text ("<= 150"), printed beside the figure. */
  target?: string;
}

/** The value at percentile `p` (0-100) of `values` (nearest rank). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The machine and versions a result was measured with. */
export function machine() {
  return {
    cores: cpus().length,
    cpu: cpus()[0]?.model,
    memory_gb: Math.round(totalmem() / 1024 ** 3),
    free_memory_gb: Math.round(freemem() / 1024 ** 3),
    load_average: loadavg().map((l) => Number(l.toFixed(2))),
    node: process.version,
    java: firstLine(() =>
      execFileSync('java', ['-version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
    ),
  };
}

function firstLine(read: () => string): string | undefined {
  try {
    return read().split('\n')[0] || undefined;
  } catch (error) {
    // java -version writes to stderr
    return ((error as { stderr?: string }).stderr ?? '').split('\n')[0] || undefined;
  }
}

export function formatTable(name: string, figures: Figure[]): string {
  const width = Math.max(...figures.map((f) => f.name.length));
  const lines = figures.map((f) => {
    const value =
      Number.isInteger(f.value) || Math.abs(f.value) >= 100
        ? f.value.toFixed(0)
        : f.value.toFixed(2);
    const target = f.target ? `   target ${f.target}` : '';
    return `  ${f.name.padEnd(width)}  ${value.padStart(10)} ${f.unit}${target}`;
  });
  return `${name}\n${lines.join('\n')}`;
}

/** bench/results/<name>-<timestamp>.json (git-ignored): everything needed to compare runs. */
export function saveResult(dir: string, name: string, result: object): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

/** Bytes of a topic's log segments in a broker's data folder (not the preallocated indexes). */
export function topicBytesIn(dataDir: string, topic: string): number {
  let total = 0;
  const folder = new RegExp(`^${topic.replace(/\./g, '\\.')}-\\d+$`);
  for (const entry of readdirSync(dataDir).filter((e) => folder.test(e))) {
    for (const file of readdirSync(join(dataDir, entry)).filter((f) => f.endsWith('.log'))) {
      total += statSync(join(dataDir, entry, file)).size;
    }
  }
  return total;
}
