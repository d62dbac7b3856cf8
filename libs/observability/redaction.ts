/** Written in place of a secret on every log line. */
export const REDACTED = '[redacted]';

const SECRET_HEADERS = [
  'x-api-key',
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'webhook-secret',
  'x-telegram-bot-api-secret-token',
];

/** Fields that hold a subscriber's or a client's credential, wherever an object is logged. */
const SECRET_FIELDS = [
  'secret',
  'previous_secret',
  'auth_secret',
  'password',
  'api_key',
  'apiKey',
  'token',
  'access_token',
  'custom_headers',
];

/**
 * pino `redact` paths: request and response headers (pino-http's `req`/`res`, or `headers`
 * logged alone) and credential fields at the top level or one object down.
 */
export const REDACTED_PATHS: string[] = [
  ...SECRET_HEADERS.flatMap((h) => [
    `req.headers["${h}"]`,
    `res.headers["${h}"]`,
    `headers["${h}"]`,
    `*.headers["${h}"]`,
  ]),
  ...SECRET_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]),
];

const SECRET_PARAMETER = 'api[_-]?key|key|token|access_token|secret|password';
const SECRET_QUERY = new RegExp(`([?&](?:${SECRET_PARAMETER})=)[^&#]*`, 'gi');
const SECRET_NAME = new RegExp(`^(?:${SECRET_PARAMETER})$`, 'i');

/** A URL with the values of credential-like query parameters masked. */
export function maskUrlSecrets(url: string): string {
  return url.replace(SECRET_QUERY, `$1${REDACTED}`);
}

/** A parsed query with the values of credential-like parameters masked. */
export function maskQuerySecrets<T>(query: Record<string, T>): Record<string, T | string> {
  return Object.fromEntries(
    Object.entries(query).map(([k, v]) => [k, SECRET_NAME.test(k) ? REDACTED : v]),
  );
}
