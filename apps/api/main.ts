import 'reflect-metadata';
import { createLogger } from '@odoo-stream/observability';
import { runAlone } from '@odoo-stream/runtime';
import { apiApp } from './api.app';
import { ensureLocalCredentials } from './auth/kept-credentials';

// In the Docker image: keys and the token secret the operator did not set are made on the first
// start and kept in this directory (a volume), so the api never runs open or with tokens that
// die at each restart. The key is read from the file, never from a log line.
const kept = process.env.API_CREDENTIALS_DIR;
if (kept) {
  const credentials = ensureLocalCredentials(process.env, kept);
  if (credentials.file) {
    createLogger('api', 'info').info(
      { api_key_file: credentials.file },
      `API_KEYS is not set: the key in ${credentials.file} is accepted as integration and admin key (read it with: docker compose exec api cat ${credentials.file}); set API_KEYS and ADMIN_API_KEYS to use your own`,
    );
  }
}

void runAlone(apiApp);
