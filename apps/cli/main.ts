#!/usr/bin/env node
import 'reflect-metadata';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { ConfigError, loadConfig, serviceVersion } from '@odoo-stream/config';
import { UnknownMigrationTarget } from '@odoo-stream/db';
import { createKafkaClient } from '@odoo-stream/kafka';
import { KafkaSchemaStore } from '@odoo-stream/schema-registry';
import { ReplayRefused } from '../replay/replay-target';
import { newApiKey } from '../api/auth/api-keys';
import { EventsUsageError, modelTopicFor, parseEventFilter } from './event-filter';
import { readEvents } from './event-reader';
import { startRegistry } from './cli-edges';
import { registerIncidentCommands } from './incident-commands';
import { registerMigrationCommands } from './migration-commands';

/** Exit codes scripts can rely on. */
const EXIT = { ok: 0, failed: 1, usage: 2, refused: 3 } as const;

/** The apps' environment, as far as these commands need it. */
function cliConfig() {
  const config = loadConfig(process.env, []);
  if (config.kafka.brokers.length === 0) {
    throw new EventsUsageError('KAFKA_BROKERS is required (host:port,...), as for the apps');
  }
  return config;
}

const program = new Command()
  .name('odoo-stream')
  .description(
    'Operate odoo-stream: consumers, replays and rebuilds during an incident, a look at the change stream, keys, database migrations.',
  )
  .version(serviceVersion())
  .showHelpAfterError()
  .exitOverride();

program
  .command('api-key')
  .description('Make a new integration key and the API_KEYS entry that accepts it')
  .argument('<name>', "the client's name (1-64 letters, digits, '_', '.', '-')", (name) => {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) {
      throw new InvalidArgumentError("1-64 letters, digits, '_', '.' or '-'");
    }
    return name;
  })
  .action((name: string) => {
    const { key, entry } = newApiKey(name);
    process.stdout.write(
      `key (give to the client):  ${key}\nAPI_KEYS entry (configure): ${entry}\n`,
    );
  });

registerIncidentCommands(program, cliConfig);
registerMigrationCommands(program);

program
  .command('events')
  .description(
    "Print a model topic's change events, one JSON line each, decoded through the registry",
  )
  .argument('<model>', 'an Odoo model, e.g. sale.order')
  .option('--record <id>', 'only this record')
  .option('--op <ops>', 'only these operations: create, write, unlink, read (comma-separated)')
  .option('--since <time>', "from this time on (ISO 8601), by Kafka's time index")
  .option('--limit <n>', 'stop after this many events')
  .option('--follow', 'keep printing new events until Ctrl-C')
  .option('--db <name>', 'the Odoo database, when the prefix holds several')
  .addHelpText(
    'after',
    '\nReads KAFKA_BROKERS, TOPIC_PREFIX and SCHEMA_REGISTRY_URL as the apps do. Commits nothing.\n' +
      'Example: odoo-stream events sale.order --record 4711 --since 2026-12-01T00:00:00Z',
  )
  .action(async (model: string, options: Record<string, string | boolean | undefined>) => {
    const filter = parseEventFilter(options as Record<string, string>);
    const config = cliConfig();
    const kafka = createKafkaClient(config, { retries: 2 });
    const admin = kafka.admin();
    await admin.connect();
    const topics = await admin.listTopics().finally(() => admin.disconnect());
    const topic = modelTopicFor(config.topicPrefix, model, options.db as string, topics);
    const registry = await startRegistry(config, kafka);
    const stop = new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    try {
      await readEvents(
        kafka,
        registry,
        topic,
        { filter, limit: filter.limit, follow: options.follow === true, stop },
        (line) => process.stdout.write(`${line}\n`),
      );
    } finally {
      if (registry instanceof KafkaSchemaStore) await registry.stop();
    }
  });

program.parseAsync(process.argv).then(
  () => process.exit(EXIT.ok),
  (error: unknown) => {
    if (error instanceof CommanderError) {
      // commander printed it already; help and version are not failures.
      const shown = ['commander.helpDisplayed', 'commander.version', 'commander.help'];
      process.exit(shown.includes(error.code) ? EXIT.ok : EXIT.usage);
    }
    const usage =
      error instanceof EventsUsageError ||
      error instanceof ConfigError ||
      error instanceof UnknownMigrationTarget;
    const refused = error instanceof ReplayRefused;
    process.stderr.write(`odoo-stream: ${(error as Error).message}\n`);
    process.exit(usage ? EXIT.usage : refused ? EXIT.refused : EXIT.failed);
  },
);
