import { newApiKey } from '../auth/api-keys';

/** `npm run api-key -- <name>`: a new integration key, and the API_KEYS entry that accepts it. */
const USAGE = `usage: npm run api-key -- <name>

Makes a new integration key. Give the key to the client (it sends it as X-API-Key) and add the
entry to API_KEYS (comma-separated); only the entry, a SHA-256 of the key, is kept.`;

const [name, ...rest] = process.argv.slice(2);
if (name === '-h' || name === '--help') {
  process.stdout.write(`${USAGE}\n`);
} else if (!name || rest.length > 0 || !/^[A-Za-z0-9_.-]{1,64}$/.test(name)) {
  process.stderr.write(
    `api-key: give one name of 1-64 letters, digits, '_', '.' or '-' (the client's name)\n\n${USAGE}\n`,
  );
  process.exitCode = 2;
} else {
  const { key, entry } = newApiKey(name);
  process.stdout.write(`key (give to the client):  ${key}\nAPI_KEYS entry (configure): ${entry}\n`);
}
