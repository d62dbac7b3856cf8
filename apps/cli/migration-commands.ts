import { Command } from 'commander';
import { ConfigError, loadConfig } from '@odoo-stream/config';
import { migrationStates, migrationsToRevert, revertMigrations } from '@odoo-stream/db';

const out = (text: string): void => {
  process.stdout.write(text);
};

function databaseUrl(): string {
  const config = loadConfig(process.env, []);
  if (!config.databaseUrl) {
    throw new ConfigError(['DATABASE_URL is required (the service database), as for the apps']);
  }
  return config.databaseUrl;
}

/** `migrations` and `migrations revert`: the service database's schema, for upgrades and rollbacks. */
export function registerMigrationCommands(program: Command): void {
  const migrations = program
    .command('migrations')
    .description(
      "The service database's migrations: which this version knows and which are applied",
    )
    .option('--json', 'one JSON array instead of the table')
    .addHelpText(
      'after',
      '\nApps apply pending migrations when they start. Reads DATABASE_URL.\n' +
        'Rolling back to an older odoo-stream: revert, with this (newer) version, to the last\n' +
        'migration the older one knows, then start the older one (see docs/upgrading.md).',
    )
    .action(async (options: { json?: boolean }) => {
      const states = await migrationStates(databaseUrl());
      if (options.json) return out(`${JSON.stringify(states)}\n`);
      for (const s of states) {
        const state = !s.known ? 'applied by a newer version' : s.applied ? 'applied' : 'pending';
        out(`${s.name.padEnd(40)} ${state}\n`);
      }
    });

  migrations
    .command('revert')
    .description(
      'Undo the migrations applied after one, newest first (each in its own transaction)',
    )
    .requiredOption('--to <name>', 'the migration that stays the last applied one')
    .option('--execute', 'undo them; without it, only say which would be undone')
    .addHelpText(
      'after',
      '\nStop every odoo-stream app that uses DATABASE_URL first: an app started meanwhile applies\n' +
        'them again. Reverting may drop columns that newer data lives in (see each migration).',
    )
    .action(async (options: { to: string; execute?: boolean }) => {
      const url = databaseUrl();
      if (!options.execute) {
        const undo = migrationsToRevert(await migrationStates(url), options.to);
        if (undo.length === 0) return out(`nothing to undo: ${options.to} is the last applied\n`);
        out(`would undo, newest first:\n${undo.map((n) => `  ${n}\n`).join('')}`);
        return out('add --execute to undo them\n');
      }
      const undone = await revertMigrations(url, options.to, (name) => out(`undone ${name}\n`));
      out(`${undone.length} migration(s) undone; ${options.to} is the last applied\n`);
    });
}
