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

  it('runs the capture bench end to end and writes every figure to a JSON result', async () => {
    const { stdout } = await run(
      process.execPath,
      [
        BENCH,
        'capture',
        '--quick',
        '--kafka',
        testKafkaBrokers(),
        '--postgres',
        testPostgresUrl(),
        '--results',
        results,
      ],
      // The first run fetches Debezium's jars from Maven Central.
      { timeout: 290_000 },
    );
    expect(stdout).toMatch(/odoo-stream capture, commit to Kafka ack\s+\d+ row changes\/s/);
    const [file] = readdirSync(results);
    expect(file).toMatch(/^capture-.*\.json$/);
    const result = JSON.parse(readFileSync(join(results, file), 'utf8'));
    expect(result.machine.cores).toBeGreaterThan(0);
    expect(result.parameters.quick).toBe(true);
    const figure = (name: string) =>
      result.figures.find((f: { name: string }) => f.name === name)?.value as number;
    // The workload's exact counts: 30 iterations of the Odoo-shaped mix.
    expect(figure('row changes per round')).toBe(303);
    expect(figure('events per round (one per transaction and record)')).toBe(183);
    for (const name of [
      'odoo-stream capture, commit to Kafka ack',
      'pg_recvlogical, same WAL, pgoutput',
      "Debezium's PostgreSQL connector, same WAL, Kafka Connect",
      "Kafka's ProducerPerformance, same count and size",
      'capture RSS while catching up, peak',
    ]) {
      expect(figure(name)).toBeGreaterThan(0);
    }
  }, 300_000);

  it('refuses an unknown bench by name, listing the ones it has', async () => {
    const failed = await run(process.execPath, [BENCH, 'captur']).catch((e) => e);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('unknown bench captur: choose from capture');
  });
});
