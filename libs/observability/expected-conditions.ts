/**
 * What a clean start prints only at debug: conditions that are expected and retried, and
 * framework chatter a person does not need. Plain functions, so the rules are tested directly.
 */

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** Nest's start-up lines: modules loaded, every route mapped, the application started. */
const NEST_CHATTER = new Set([
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestFactory',
  'NestApplication',
  'NestMicroservice',
]);

export function nestLevel(level: Level, context: string | undefined, message: string): Level {
  if (level === 'info' && context && NEST_CHATTER.has(context)) return 'debug';
  // Several apps in one process (npm start) each own a DataSource of the same name, on purpose.
  if (context === 'DataSourceNameRegistry' && /default name is already registered/.test(message))
    return 'debug';
  return level;
}

/**
 * Broker answers kafkajs logs at error level although it retries them and they pass on their own:
 * a group coordinator still loading, a topic just created and not yet known to every partition
 * leader, a leader being elected.
 */
const RETRIED = [
  /coordinator is (loading|not available)/i,
  /not the correct coordinator/i,
  /does not host this topic-partition/i,
  /no leader for this topic-partition/i,
  /leader (is )?not available/i,
  /Topic creation errors/i,
  /This is not the correct controller/i,
  /The group is rebalancing/i,
  // A request written to a connection that a disconnect (a stopping app) has just ended.
  /write after end/i,
];

export function kafkaLevel(level: Level, message: string, error?: unknown): Level {
  if (level !== 'error' && level !== 'warn') return level;
  const detail = typeof error === 'string' ? error : error instanceof Error ? error.message : '';
  const text = `${message} ${detail}`;
  return RETRIED.some((pattern) => pattern.test(text)) ? 'debug' : level;
}
