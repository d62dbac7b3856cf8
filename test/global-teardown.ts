import { rmSync } from 'node:fs';
import type { LocalStack } from '@odoo-stream/local-infra';

export default async function globalTeardown(): Promise<void> {
  const stack = (globalThis as { __odooStreamStack?: LocalStack }).__odooStreamStack;
  await stack?.stop();
  if (process.env.TEST_HOME) rmSync(process.env.TEST_HOME, { recursive: true, force: true });
}
