import { readFileSync } from 'node:fs';

/** TLS to the brokers: files read at start-up; no CA file means the system's trust store. */
export interface KafkaTls {
  ca?: string;
  cert?: string;
  key?: string;
  passphrase?: string;
  rejectUnauthorized: boolean;
}

export type KafkaSasl =
  | { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string }
  | {
      mechanism: 'aws';
      authorizationIdentity: string;
      accessKeyId: string;
      secretAccessKey: string;
      sessionToken?: string;
    };

export interface KafkaSecurity {
  tls?: KafkaTls;
  sasl?: KafkaSasl;
}

const MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512', 'aws'];

/**
 * KAFKA_SSL, KAFKA_SSL_CA_FILE, KAFKA_SSL_CERT_FILE, KAFKA_SSL_KEY_FILE, KAFKA_SSL_KEY_PASSWORD,
 * KAFKA_SSL_REJECT_UNAUTHORIZED, KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD
 * (and the AWS ones): checked together, every problem said at once, files read now so that a
 * wrong path stops the start with its name rather than the first connection.
 */
export function parseKafkaSecurity(
  value: (name: string) => string | undefined,
  problems: string[],
): KafkaSecurity {
  const security: KafkaSecurity = {};
  const files = {
    ca: readPem('KAFKA_SSL_CA_FILE', value('KAFKA_SSL_CA_FILE'), 'CERTIFICATE', problems),
    cert: readPem('KAFKA_SSL_CERT_FILE', value('KAFKA_SSL_CERT_FILE'), 'CERTIFICATE', problems),
    key: readPem('KAFKA_SSL_KEY_FILE', value('KAFKA_SSL_KEY_FILE'), 'PRIVATE KEY', problems),
  };
  const ssl = value('KAFKA_SSL');
  if (ssl !== undefined && !['true', 'false'].includes(ssl)) {
    problems.push(`KAFKA_SSL must be true or false, not '${ssl}'`);
  }
  const reject = value('KAFKA_SSL_REJECT_UNAUTHORIZED');
  if (reject !== undefined && !['true', 'false'].includes(reject)) {
    problems.push(`KAFKA_SSL_REJECT_UNAUTHORIZED must be true or false, not '${reject}'`);
  }
  const anyFile = Object.values(files).some((f) => f !== undefined);
  if (ssl === 'false' && anyFile) {
    problems.push('KAFKA_SSL is false but KAFKA_SSL_*_FILE are set: remove one or the other');
  }
  if ((files.cert === undefined) !== (files.key === undefined)) {
    problems.push(
      'KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE go together (a client certificate and its key)',
    );
  }
  if (ssl === 'true' || (ssl === undefined && anyFile)) {
    security.tls = {
      ...files,
      passphrase: value('KAFKA_SSL_KEY_PASSWORD'),
      rejectUnauthorized: reject !== 'false',
    };
  }

  const mechanism = value('KAFKA_SASL_MECHANISM')?.toLowerCase();
  if (mechanism === undefined) return security;
  if (!MECHANISMS.includes(mechanism)) {
    problems.push(
      `KAFKA_SASL_MECHANISM '${mechanism}' is not one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, AWS`,
    );
    return security;
  }
  if (mechanism === 'aws') {
    const needed = ['KAFKA_SASL_AWS_ACCESS_KEY_ID', 'KAFKA_SASL_AWS_SECRET_ACCESS_KEY'];
    for (const name of needed) {
      if (!value(name)) problems.push(`${name} is required with KAFKA_SASL_MECHANISM=AWS`);
    }
    security.sasl = {
      mechanism: 'aws',
      authorizationIdentity: value('KAFKA_SASL_AWS_AUTHORIZATION_IDENTITY') ?? '',
      accessKeyId: value('KAFKA_SASL_AWS_ACCESS_KEY_ID') ?? '',
      secretAccessKey: value('KAFKA_SASL_AWS_SECRET_ACCESS_KEY') ?? '',
      sessionToken: value('KAFKA_SASL_AWS_SESSION_TOKEN'),
    };
    return security;
  }
  const username = value('KAFKA_SASL_USERNAME');
  const password = value('KAFKA_SASL_PASSWORD');
  if (!username) problems.push(`KAFKA_SASL_USERNAME is required with KAFKA_SASL_MECHANISM`);
  if (!password) problems.push(`KAFKA_SASL_PASSWORD is required with KAFKA_SASL_MECHANISM`);
  security.sasl = {
    mechanism: mechanism as 'plain' | 'scram-sha-256' | 'scram-sha-512',
    username: username ?? '',
    password: password ?? '',
  };
  return security;
}

function readPem(
  name: string,
  path: string | undefined,
  kind: string,
  problems: string[],
): string | undefined {
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    problems.push(`${name} ${path} cannot be read (${(error as NodeJS.ErrnoException).code})`);
    return undefined;
  }
  if (!new RegExp(`-----BEGIN [A-Z ]*${kind}-----`).test(text)) {
    problems.push(
      `${name} ${path} holds no PEM ${kind.toLowerCase()} (-----BEGIN ...${kind}-----)`,
    );
    return undefined;
  }
  return text;
}
