import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalKafka } from '@odoo-stream/local-infra';
import { makeTestCertificates } from './test-certificates';

export const SCRAM_USER = { name: 'odoo-stream', password: 'scram-password-7c1e' };
export const PLAIN_USER = { name: 'shop', password: 'plain-password-2b9d' };
const STORE_PASSWORD = 'store-password';

/**
 * A Kafka broker of the suite's own with the listeners a company cluster has: SSL (client
 * certificate required), SASL_SSL (SCRAM-SHA-256, SCRAM-SHA-512, PLAIN). A CA, the broker's
 * certificate (for 127.0.0.1) and a client certificate are made with openssl; the broker's
 * keystore and truststore are PKCS12 (openssl and the JDK's keytool).
 */
export class SecuredBroker {
  readonly dir = mkdtempSync(join(tmpdir(), 'odoo-stream-secured-'));
  private readonly kafka: LocalKafka;

  constructor() {
    this.makeCertificates();
    const file = (name: string) => join(this.dir, name);
    const scramJaas = `org.apache.kafka.common.security.scram.ScramLoginModule required;`;
    this.kafka = new LocalKafka({
      dir: join(this.dir, 'kafka'),
      heapMb: 384,
      secured: {
        listeners: [
          { name: 'SSL', protocol: 'SSL' },
          { name: 'SASL_SSL', protocol: 'SASL_SSL' },
        ],
        properties: [
          'ssl.keystore.type=PKCS12',
          `ssl.keystore.location=${file('broker.p12')}`,
          `ssl.keystore.password=${STORE_PASSWORD}`,
          `ssl.key.password=${STORE_PASSWORD}`,
          'ssl.truststore.type=PKCS12',
          `ssl.truststore.location=${file('truststore.p12')}`,
          `ssl.truststore.password=${STORE_PASSWORD}`,
          'listener.name.ssl.ssl.client.auth=required',
          'sasl.enabled.mechanisms=SCRAM-SHA-256,SCRAM-SHA-512,PLAIN',
          `listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=${scramJaas}`,
          `listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=${scramJaas}`,
          `listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_${PLAIN_USER.name}="${PLAIN_USER.password}";`,
        ],
        formatArgs: [
          '--add-scram',
          `SCRAM-SHA-256=[name=${SCRAM_USER.name},password=${SCRAM_USER.password}]`,
          '--add-scram',
          `SCRAM-SHA-512=[name=${SCRAM_USER.name},password=${SCRAM_USER.password}]`,
        ],
      },
    });
  }

  /** PEM files for clients. */
  get files() {
    return {
      ca: join(this.dir, 'ca.crt'),
      clientCert: join(this.dir, 'client.crt'),
      clientKey: join(this.dir, 'client.key'),
      otherCa: join(this.dir, 'other-ca.crt'),
    };
  }

  start(): Promise<string> {
    return this.kafka.start();
  }

  address(listener: 'SSL' | 'SASL_SSL'): string {
    return this.kafka.listenerAddress(listener);
  }

  async stop(): Promise<void> {
    await this.kafka.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private makeCertificates(): void {
    const at = (name: string) => join(this.dir, name);
    const openssl = (...args: string[]) =>
      execFileSync('openssl', args, { cwd: this.dir, stdio: 'pipe' });
    makeTestCertificates(this.dir, ['ca', 'other-ca'], ['broker', 'client']);
    openssl(
      'pkcs12',
      '-export',
      '-in',
      at('broker.crt'),
      '-inkey',
      at('broker.key'),
      '-certfile',
      at('ca.crt'),
      '-name',
      'broker',
      '-out',
      at('broker.p12'),
      '-passout',
      `pass:${STORE_PASSWORD}`,
    );
    execFileSync(
      'keytool',
      [
        '-importcert',
        '-noprompt',
        '-alias',
        'ca',
        '-file',
        at('ca.crt'),
        '-keystore',
        at('truststore.p12'),
        '-storetype',
        'PKCS12',
        '-storepass',
        STORE_PASSWORD,
      ],
      { stdio: 'pipe' },
    );
  }
}
