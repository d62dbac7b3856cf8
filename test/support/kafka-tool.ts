import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** One of Kafka's own command-line tools, through scripts/kafka-tool.sh. */
export const kafkaTool = (...args: string[]) =>
  promisify(execFile)('bash', [join(__dirname, '..', '..', 'scripts', 'kafka-tool.sh'), ...args], {
    encoding: 'utf8',
  });
