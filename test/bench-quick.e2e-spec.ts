import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { testKafkaBrokers, testPostgresUrl } from './support/test-stack';

const run = promisify(execFile);
const BENCH = join(__dirname, '..', 'dist', 'bench', 'run.js');

// `npm run bench -- --quick` inside the suite: the benches cannot rot between releases.
describe('npm run bench -- --quick', () => {
  let results: string;
  beforeAll(() => {
    results = mkdtempSync(join(tmpdir(), 'bench-results-'));
  });
  afterAll(() => rmSync(results, { recursive: true, force: true }));

  it('runs every bench end to end and writes every figure to a JSON result', async () => {
    const { stdout } = await run(
      process.execPath,
      [
        BENCH,
        '--quick',
        '--kafka',
        testKafkaBrokers(),
        '--postgres',
        testPostgresUrl(),
        '--results',
        results,
      ],
      // The first run fetches Debezium's jars from Maven Central.
      { timeout: 590_000 },
    );
    // A loaded machine prints a rate below 100 with decimals.
    expect(stdout).toMatch(/odoo-stream capture, commit to Kafka ack\s+[\d.]+ row changes\/s/);
    const figures = (bench: string) => {
      const file = readdirSync(results).find((f) => f.startsWith(`${bench}-`));
      expect(file).toMatch(new RegExp(`^${bench}-.*\\.json$`));
      const result = JSON.parse(readFileSync(join(results, file as string), 'utf8'));
      expect(result.machine.cores).toBeGreaterThan(0);
      expect(result.parameters.quick).toBe(true);
      return (name: string) =>
        result.figures.find((f: { name: string }) => f.name === name)?.value as number;
    };
    const capture = figures('capture');
    // The workload's exact counts: 30 iterations of the Odoo-shaped mix.
    expect(capture('row changes per round')).toBe(303);
    expect(capture('events per round (one per transaction and record)')).toBe(183);
    // The quick dashboard bench fills the index and the log to these sizes exactly.
    expect(figures('dashboard')('events in the index')).toBe(20_000);
    expect(figures('dashboard')('deliveries in the log')).toBe(2_000);
    const rebuild = figures('rebuild');
    const delivery = figures('delivery');
    const latency = figures('latency');
    const growth = figures('growth');
    const dashboard = figures('dashboard');
    for (const value of [
      capture('odoo-stream capture, commit to Kafka ack'),
      capture('pg_recvlogical, same WAL, pgoutput'),
      capture("Debezium's PostgreSQL connector, same WAL, Kafka Connect"),
      capture("Kafka's ProducerPerformance, same count and size"),
      capture('capture RSS while catching up, peak'),
      rebuild('projector catch-up from empty, into the feed'),
      rebuild('odoo-stream rebuild feed, command start to swapped'),
      delivery('1 subscriber, first webhook to last'),
      delivery('10 subscribers, total, first webhook to last'),
      latency('100/s, commit to Kafka, p99'),
      latency('1000/s, commit to the pull feed, p99'),
      latency('1000/s, commit to webhook received, p99'),
      latency('Debezium, 1000/s, commit to Kafka, p99'),
      growth('capture, 100 tracked tables, catch-up'),
      growth("projector, 2 instances, catch-up (13 tables' events)"),
      dashboard('api events of a model'),
      dashboard('page record timeline, load to data shown'),
    ]) {
      expect(value).toBeGreaterThan(0);
    }
  }, 600_000);

  it('refuses an unknown bench by name, listing the ones it has', async () => {
    const failed = await run(process.execPath, [BENCH, 'captur']).catch((e) => e);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(
      'unknown bench captur: choose from capture, rebuild, delivery, latency, growth, dashboard',
    );
  });
});
