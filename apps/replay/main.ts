import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ConfigError, loadConfig } from '@odoo-stream/config';
import { dataSourceOptions } from '@odoo-stream/db';
import { createKafkaClient } from '@odoo-stream/kafka';
import { replayProjection, ReplayRefused } from './consumer-group-replay';
import { parseReplayRequest, REPLAY_USAGE, ReplayUsageError } from './replay-request';

/** `npm run replay -- <projection> --to earliest|latest|<time> [--rebuild] [--dry-run]` */
async function main(): Promise<number> {
  let request;
  try {
    request = parseReplayRequest(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof ReplayUsageError)) throw error;
    process.stderr.write(`replay: ${error.message}\n\n${REPLAY_USAGE}\n`);
    return 2;
  }
  if (request === 'help') {
    process.stdout.write(`${REPLAY_USAGE}\n`);
    return 0;
  }
  const config = loadConfig(process.env, ['projector']);
  const dataSource = new DataSource(dataSourceOptions(config.databaseUrl as string));
  await dataSource.initialize();
  try {
    const { groupId, moves } = await replayProjection(
      createKafkaClient(config, { retries: 2 }),
      dataSource,
      config.topicPrefix,
      request,
    );
    const verb = request.dryRun ? 'would move' : 'moved';
    for (const m of moves) {
      process.stdout.write(
        `${groupId} ${m.topic}/${m.partition}: ${m.from ?? 'none'} -> ${m.to}\n`,
      );
    }
    process.stdout.write(
      `${verb} ${moves.length} partition(s) of ${groupId}` +
        (request.rebuild && !request.dryRun ? `; ${request.projection} tables emptied` : '') +
        (request.dryRun ? '' : '; start the projector to apply') +
        '\n',
    );
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    const known = error instanceof ConfigError || error instanceof ReplayRefused;
    process.stderr.write(`replay: ${known ? error.message : (error.stack ?? error.message)}\n`);
    process.exit(1);
  },
);
