import { parseArgs } from 'node:util';
import { PROJECTIONS, ProjectionName } from '../projector/projection-catalog';

export type ReplayTarget = { kind: 'earliest' } | { kind: 'latest' } | { kind: 'time'; ms: number };

export interface ReplayRequest {
  projection: ProjectionName;
  target: ReplayTarget;
  /** Empty the projection's tables first: it is rebuilt from the log. */
  rebuild: boolean;
  dryRun: boolean;
}

export const REPLAY_USAGE = `usage: npm run replay -- <projection> --to <earliest|latest|time> [--rebuild] [--dry-run]

Moves a projection's consumer group (<prefix>.projector.<projection>) to a new position.
Stop every projector first: Kafka refuses to move a group that has members.

  <projection>   ${Object.keys(PROJECTIONS).join(' | ')}
  --to           earliest, latest, or an ISO-8601 time (2026-11-22T08:00:00Z): the first
                 message at or after it
  --rebuild      empty the projection's tables and positions, then read again from earliest:
                 the tables come back as the log says they should be (only with --to earliest)
  --dry-run      print the offsets it would set and change nothing
  -h, --help     this text

Without --rebuild, a message applied before and read again changes nothing.
Reads KAFKA_BROKERS, DATABASE_URL and TOPIC_PREFIX like the projector.`;

export class ReplayUsageError extends Error {
  override name = 'ReplayUsageError';
}

/** Parses and checks the command line; throws ReplayUsageError saying what is wrong. */
export function parseReplayRequest(argv: string[]): ReplayRequest | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        to: { type: 'string' },
        rebuild: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new ReplayUsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length !== 1) throw new ReplayUsageError('name one projection');
  const projection = positionals[0];
  if (!(projection in PROJECTIONS)) {
    throw new ReplayUsageError(
      `unknown projection '${projection}' (one of ${Object.keys(PROJECTIONS).join(', ')})`,
    );
  }
  if (!values.to) throw new ReplayUsageError('--to is required');
  let target: ReplayTarget;
  if (values.to === 'earliest' || values.to === 'latest') target = { kind: values.to };
  else {
    const ms = Date.parse(values.to);
    if (Number.isNaN(ms) || !/^\d{4}-\d\d-\d\d/.test(values.to)) {
      throw new ReplayUsageError(`--to '${values.to}' is not earliest, latest or an ISO-8601 time`);
    }
    target = { kind: 'time', ms };
  }
  if (values.rebuild && target.kind !== 'earliest') {
    throw new ReplayUsageError('--rebuild reads the whole log again: use it with --to earliest');
  }
  return {
    projection: projection as ProjectionName,
    target,
    rebuild: values.rebuild as boolean,
    dryRun: values['dry-run'] as boolean,
  };
}
