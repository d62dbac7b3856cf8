import { DataSource } from 'typeorm';
import { dataSourceOptions, MIGRATIONS } from './data-source-options';

/** Arbitrary but fixed: every odoo-stream process that migrates takes this lock first. */
const MIGRATION_LOCK = 7_346_221_019;

/** The names this build knows, oldest first. */
export const KNOWN_MIGRATIONS: string[] = MIGRATIONS.map((m) => m.name);

/**
 * The database was migrated by a newer odoo-stream: this build would run against tables it does
 * not know. Rolling back means reverting those migrations with the newer build first.
 */
export class NewerDatabaseError extends Error {
  override name = 'NewerDatabaseError';

  constructor(readonly unknown: string[]) {
    const lastKnown = KNOWN_MIGRATIONS[KNOWN_MIGRATIONS.length - 1];
    super(
      `the service database was migrated by a newer odoo-stream (${unknown.join(', ')} unknown to this version); ` +
        `run the newer version again, or roll back with it: odoo-stream migrations revert --to ${lastKnown} --execute`,
    );
  }
}

/** A revert target that is not an applied migration (a typo, or one never applied). */
export class UnknownMigrationTarget extends Error {
  override name = 'UnknownMigrationTarget';
}

export interface MigrationState {
  name: string;
  applied: boolean;
  /** Applied by a newer odoo-stream: this build cannot revert it. */
  known: boolean;
}

async function withMigrationLock<T>(
  url: string,
  work: (dataSource: DataSource) => Promise<T>,
): Promise<T> {
  const dataSource = new DataSource(dataSourceOptions(url));
  await dataSource.initialize();
  const lock = dataSource.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    return await work(dataSource);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.release();
    await dataSource.destroy();
  }
}

/** Names of the applied migrations, oldest first (none before the first start). */
async function appliedNames(dataSource: DataSource): Promise<string[]> {
  const table = dataSourceOptions('').migrationsTableName as string;
  const [exists] = await dataSource.query(`SELECT to_regclass($1) IS NOT NULL AS ok`, [table]);
  if (!exists.ok) return [];
  const rows: Array<{ name: string }> = await dataSource.query(
    `SELECT name FROM ${table} ORDER BY timestamp, id`,
  );
  return rows.map((r) => r.name);
}

/**
 * Applies pending migrations. Several apps may start at once against one database; the advisory
 * lock makes them take turns, so a migration never runs twice. A database a newer odoo-stream
 * migrated is refused ({@link NewerDatabaseError}) instead of being run against.
 */
export async function migrateDatabase(url: string): Promise<string[]> {
  return withMigrationLock(url, async (dataSource) => {
    const unknown = (await appliedNames(dataSource)).filter((n) => !KNOWN_MIGRATIONS.includes(n));
    if (unknown.length) throw new NewerDatabaseError(unknown);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  });
}

/** Every migration this build knows, and any a newer build applied, in order. */
export async function migrationStates(url: string): Promise<MigrationState[]> {
  return withMigrationLock(url, async (dataSource) => {
    const applied = await appliedNames(dataSource);
    return [
      ...KNOWN_MIGRATIONS.map((name) => ({ name, applied: applied.includes(name), known: true })),
      ...applied
        .filter((n) => !KNOWN_MIGRATIONS.includes(n))
        .map((name) => ({ name, applied: true, known: false })),
    ];
  });
}

/** The applied migrations newer than `target`, newest first: what a revert to it undoes. */
export function migrationsToRevert(states: MigrationState[], target: string): string[] {
  const index = states.findIndex((s) => s.name === target);
  if (index < 0 || !states[index].applied) {
    throw new UnknownMigrationTarget(
      `${target} is not an applied migration; odoo-stream migrations lists them`,
    );
  }
  return states
    .slice(index + 1)
    .filter((s) => s.applied)
    .map((s) => s.name)
    .reverse();
}

/**
 * Undoes applied migrations, newest first, until `target` is the last applied one (each in its own
 * transaction, under the migration lock). Returns the names undone.
 */
export async function revertMigrations(
  url: string,
  target: string,
  onReverted: (name: string) => void = () => undefined,
): Promise<string[]> {
  const undo = migrationsToRevert(await migrationStates(url), target);
  const unknown = undo.filter((n) => !KNOWN_MIGRATIONS.includes(n));
  if (unknown.length) throw new NewerDatabaseError(unknown);
  return withMigrationLock(url, async (dataSource) => {
    const undone: string[] = [];
    for (const name of undo) {
      const last = (await appliedNames(dataSource)).pop();
      // Another process moved the schema meanwhile: stop rather than undo the wrong one.
      if (last !== name)
        throw new Error(`expected ${name} to be the last applied migration, found ${last}`);
      await dataSource.undoLastMigration({ transaction: 'each' });
      undone.push(name);
      onReverted(name);
    }
    return undone;
  });
}
