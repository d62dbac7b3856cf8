import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ConfigError, loadConfig } from '@odoo-stream/config';
import { createKafkaClient, probeKafka } from '@odoo-stream/kafka';
import { PLAIN_USER, SCRAM_USER, SecuredBroker } from './support/secured-broker';

const CLI = join(__dirname, '..', 'dist', 'apps', 'cli', 'main.js');

/** Secured clusters (Confluent Cloud, MSK, Aiven, company clusters): TLS, mTLS, SASL over TLS. */
describe('Kafka over TLS and SASL', () => {
  const broker = new SecuredBroker();

  beforeAll(async () => {
    await broker.start();
  });

  afterAll(async () => {
    await broker.stop();
  });

  /** Produces one record and reads it back through a client made from this environment. */
  async function roundTrip(env: Record<string, string>): Promise<string> {
    const config = loadConfig(env, []);
    const kafka = createKafkaClient(config, { retries: 2 });
    const admin = kafka.admin();
    await admin.connect();
    const topic = `secured-${Math.random().toString(36).slice(2, 8)}`;
    await admin.createTopics({ topics: [{ topic }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'over tls' }] });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: `${topic}-reader` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const value = await new Promise<string>((resolve) => {
      void consumer.run({ eachMessage: async ({ message }) => resolve(String(message.value)) });
    });
    await consumer.disconnect();
    return value;
  }

  const tls = () => ({ KAFKA_SSL_CA_FILE: broker.files.ca });
  const mtls = () => ({
    ...tls(),
    KAFKA_SSL_CERT_FILE: broker.files.clientCert,
    KAFKA_SSL_KEY_FILE: broker.files.clientKey,
  });

  it('talks TLS with a client certificate, and SCRAM-SHA-256, SCRAM-SHA-512 and PLAIN over TLS', async () => {
    expect(await roundTrip({ KAFKA_BROKERS: broker.address('SSL'), ...mtls() })).toBe('over tls');
    for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-512']) {
      const env = {
        KAFKA_BROKERS: broker.address('SASL_SSL'),
        ...tls(),
        KAFKA_SASL_MECHANISM: mechanism,
        KAFKA_SASL_USERNAME: SCRAM_USER.name,
        KAFKA_SASL_PASSWORD: SCRAM_USER.password,
      };
      expect(await roundTrip(env)).toBe('over tls');
    }
    expect(
      await roundTrip({
        KAFKA_BROKERS: broker.address('SASL_SSL'),
        ...tls(),
        KAFKA_SASL_MECHANISM: 'plain',
        KAFKA_SASL_USERNAME: PLAIN_USER.name,
        KAFKA_SASL_PASSWORD: PLAIN_USER.password,
      }),
    ).toBe('over tls');
  });

  it('says in plain words what is wrong before anything starts', async () => {
    const probe = (env: Record<string, string>) => probeKafka(loadConfig(env, []));
    const sasl = {
      KAFKA_BROKERS: broker.address('SASL_SSL'),
      ...tls(),
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: SCRAM_USER.name,
    };
    expect((await probe({ ...sasl, KAFKA_SASL_PASSWORD: 'wrong' })).problem).toMatch(
      /refused the SASL credentials/,
    );
    expect(
      (await probe({ ...sasl, KAFKA_SSL_CA_FILE: broker.files.otherCa, KAFKA_SASL_PASSWORD: 'x' }))
        .problem,
    ).toMatch(/TLS certificate is not trusted/);
    // No client certificate where the listener requires one.
    expect((await probe({ KAFKA_BROKERS: broker.address('SSL'), ...tls() })).ok).toBe(false);
    expect(() =>
      loadConfig(
        {
          KAFKA_BROKERS: broker.address('SSL'),
          KAFKA_SSL_CA_FILE: '/nowhere/ca.pem',
          KAFKA_SSL_CERT_FILE: broker.files.clientCert,
          KAFKA_SASL_MECHANISM: 'GSSAPI',
        },
        [],
      ),
    ).toThrow(ConfigError);
    try {
      loadConfig(
        {
          KAFKA_BROKERS: broker.address('SSL'),
          KAFKA_SSL_CA_FILE: '/nowhere/ca.pem',
          KAFKA_SSL_CERT_FILE: broker.files.clientCert,
          KAFKA_SASL_MECHANISM: 'GSSAPI',
        },
        [],
      );
    } catch (error) {
      expect((error as ConfigError).message).toMatch(
        /KAFKA_SSL_CA_FILE \/nowhere\/ca.pem cannot be read \(ENOENT\)/,
      );
      expect((error as ConfigError).message).toMatch(
        /KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE go together/,
      );
      expect((error as ConfigError).message).toMatch(/KAFKA_SASL_MECHANISM 'gssapi' is not one of/);
    }
  });

  it('serves the odoo-stream command against a secured cluster', async () => {
    const env = {
      PATH: process.env.PATH ?? '',
      KAFKA_BROKERS: broker.address('SASL_SSL'),
      ...tls(),
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256',
      KAFKA_SASL_USERNAME: SCRAM_USER.name,
      KAFKA_SASL_PASSWORD: SCRAM_USER.password,
    };
    const { stdout } = await promisify(execFile)('node', [CLI, 'consumers', '--json'], { env });
    expect(JSON.parse(stdout)).toEqual([]);
  });
});
