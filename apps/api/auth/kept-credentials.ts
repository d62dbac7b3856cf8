import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Environment } from '@odoo-stream/config';
import { hashApiKey, newApiKey } from './api-keys';

export interface LocalCredentials {
  /** The integration key to show the user; undefined when API_KEYS was configured. */
  apiKey?: string;
  file?: string;
}

/**
 * A first `npm start` needs an API key to try the feed and webhooks, and device tokens that survive a
 * restart: both are made once and kept (mode 0600) in ODOO_STREAM_HOME, unless API_KEYS or
 * API_TOKEN_SECRET are set.
 */
export function ensureLocalCredentials(env: Environment, home: string): LocalCredentials {
  mkdirSync(home, { recursive: true });
  if (!env.API_TOKEN_SECRET) env.API_TOKEN_SECRET = keptSecret(join(home, 'api-token-secret'));
  if (env.API_KEYS) return {};
  const file = join(home, 'api-key');
  let key: string;
  if (existsSync(file)) key = readFileSync(file, 'utf8').trim();
  else {
    key = newApiKey('local').key;
    writeFileSync(file, `${key}\n`, { mode: 0o600 });
  }
  env.API_KEYS = `local:${hashApiKey(key)}`;
  // A local run is its own operator: the same key manages subscribers.
  env.ADMIN_API_KEYS ||= env.API_KEYS;
  return { apiKey: key, file };
}

function keptSecret(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
