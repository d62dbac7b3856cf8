import 'reflect-metadata';
import { runStandalone, USAGE } from './standalone';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(`${USAGE}\n`);
} else {
  void runStandalone(process.env);
}
