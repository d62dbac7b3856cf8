/**
 * npm run bench [-- <name>...] [--quick] [--rounds N] [--row-changes N] [--events N]
 *
 * Runs the named benches (all without a name) on a private Kafka broker and PostgreSQL cluster
 * started with the project's own scripts, or on those given with --kafka and --postgres. Prints a
 * table per bench and writes bench/results/<name>-<timestamp>.json with the machine, the load
 * before and after, the versions, the parameters and every figure. Asserts nothing about speed:
 * a bench fails only when what it measured is wrong (events missing, a tool failing).
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { repoRoot, serviceVersion } from '@odoo-stream/config';
import { LocalStack } from '@odoo-stream/local-infra';
import { captureBench } from './capture-catchup';
import { rebuildBench } from './rebuild-catchup';
import { deliveryBench } from './webhook-delivery-rate';
import { latencyBench } from './commit-latency';
import { growthBench } from './tracked-tables-growth';
import { dashboardBench } from './dashboard-pages';
import {
  BenchContext,
  Figure,
  formatTable,
  machine,
  saveResult,
  topicBytesIn,
} from './bench-result';

interface Bench {
  about: string;
  run: (ctx: BenchContext) => Promise<Figure[]>;
  /** Percentiles over thousands of samples in one run: --rounds does not apply. */
  oneRun?: boolean;
}

const BENCHES: Record<string, Bench> = {
  capture: {
    about: "catch-up of one WAL by odoo-stream, pg_recvlogical and Kafka's ProducerPerformance",
    run: captureBench,
  },
  rebuild: {
    about:
      'the feed filled from the topics: projector catch-up (1 and 2 instances), odoo-stream rebuild feed',
    run: rebuildBench,
  },
  delivery: {
    about: 'signed webhooks a second from the dispatcher to 1 and to 10 subscribers',
    run: deliveryBench,
  },
  latency: {
    about:
      'commit to Kafka, to the pull feed and to a webhook at 100 and 1,000 row changes/s; Debezium to Kafka',
    run: latencyBench,
    oneRun: true,
  },
  growth: {
    about: 'capture with 1, 13 and 100 tracked tables; the projector with 1 and 2 instances',
    run: growthBench,
  },
  dashboard: {
    about: "the dashboard's api answers and pages with 1,000,000 events and 100,000 deliveries",
    run: dashboardBench,
    oneRun: true,
  },
};

const positive = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number above 0');
  return n;
};

const program = new Command('bench')
  .description('odoo-stream benches: figures and ratios, written to bench/results/')
  .argument('[names...]', `benches to run: ${Object.keys(BENCHES).join(', ')} (default: all)`)
  .option('--quick', 'tiny sizes and one round: checks that the benches still run')
  .option('--rounds <n>', 'rounds per bench; the median is reported', positive, 3)
  .option(
    '--row-changes <n>',
    'row changes the workload writes (capture 200000, growth 100000)',
    positive,
  )
  .option(
    '--events <n>',
    'events of the rebuild and dashboard benches (default 1000000), webhooks of the delivery bench (30000)',
    positive,
  )
  .option('--kafka <brokers>', 'an existing broker instead of a private one')
  .option('--postgres <url>', 'an existing PostgreSQL server (superuser, wal_level=logical)')
  .option('--results <dir>', 'where the JSON results go', join(repoRoot(), 'bench', 'results'))
  .addHelpText(
    'after',
    `\nbenches:\n${Object.entries(BENCHES)
      .map(([n, b]) => `  ${n.padEnd(10)} ${b.about}`)
      .join('\n')}`,
  )
  .action(async (names: string[], options) => {
    const unknown = names.filter((n) => !BENCHES[n]);
    if (unknown.length)
      program.error(
        `unknown bench ${unknown.join(', ')}: choose from ${Object.keys(BENCHES).join(', ')}`,
      );
    if (Boolean(options.kafka) !== Boolean(options.postgres))
      program.error('--kafka and --postgres go together');
    await runAll(names.length ? names : Object.keys(BENCHES), options);
  });

async function runAll(
  names: string[],
  options: {
    quick?: boolean;
    rounds: number;
    rowChanges?: number;
    events?: number;
    kafka?: string;
    postgres?: string;
    results: string;
  },
) {
  const progress = (step: string) => process.stderr.write(`bench: ${step}\n`);
  let stack: LocalStack | undefined;
  let home: string | undefined;
  let base: Omit<BenchContext, 'progress'>;
  const rounds = options.quick ? 1 : options.rounds;
  if (options.kafka && options.postgres) {
    const server = new URL(options.postgres);
    base = {
      kafkaBrokers: options.kafka,
      postgresUrl: (db) =>
        Object.assign(new URL(server.toString()), { pathname: `/${db}` }).toString(),
      quick: Boolean(options.quick),
      rounds,
      rowChanges: options.rowChanges,
      events: options.events,
    };
  } else {
    home = mkdtempSync(join(tmpdir(), 'odoo-stream-bench-'));
    chmodSync(home, 0o755);
    stack = new LocalStack({ home, kafka: true, postgres: true });
    progress('starting a private Kafka broker and PostgreSQL cluster');
    await stack.start();
    const dataDir = join(home, 'kafka', 'data');
    base = {
      kafkaBrokers: stack.kafka!.bootstrapAddress,
      postgresUrl: (db) => stack!.postgres!.url(db),
      quick: Boolean(options.quick),
      rounds,
      rowChanges: options.rowChanges,
      events: options.events,
      topicBytes: (topic) => topicBytesIn(dataDir, topic),
    };
  }
  try {
    for (const name of names) {
      const before = machine();
      const started = new Date().toISOString();
      const figures = await BENCHES[name].run({
        ...base,
        progress: (s) => progress(`${name}: ${s}`),
      });
      const file = saveResult(options.results, name, {
        bench: name,
        started,
        finished: new Date().toISOString(),
        odoo_stream: serviceVersion(),
        machine: before,
        load_average_after: machine().load_average,
        parameters: {
          quick: base.quick,
          rounds: BENCHES[name].oneRun ? 1 : rounds,
          row_changes: base.rowChanges ?? null,
          events: base.events ?? null,
        },
        figures,
      });
      process.stdout.write(
        `${formatTable(`${name} (${BENCHES[name].oneRun || rounds === 1 ? 'one run' : `median of ${rounds} rounds`})`, figures)}\n  result: ${file}\n`,
      );
    }
  } finally {
    await stack?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  }
}

program.parseAsync().catch((error: Error) => {
  process.stderr.write(`bench failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
