import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Certificates for TLS tests, made with openssl in `dir`: `<ca>.crt/.key` for each CA, and
 * `<name>.crt/.key` for each leaf, signed by the first CA, valid for 127.0.0.1 and localhost.
 */
export function makeTestCertificates(dir: string, cas: string[], leaves: string[]): void {
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  for (const ca of cas) {
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=odoo-stream test ${ca}`,
      '-keyout',
      at(`${ca}.key`),
      '-out',
      at(`${ca}.crt`),
    );
  }
  writeFileSync(at('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  for (const name of leaves) {
    openssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      `/CN=${name}`,
      '-keyout',
      at(`${name}.key`),
      '-out',
      at(`${name}.csr`),
    );
    openssl(
      'x509',
      '-req',
      '-in',
      at(`${name}.csr`),
      '-CA',
      at(`${cas[0]}.crt`),
      '-CAkey',
      at(`${cas[0]}.key`),
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      at('san.ext'),
      '-out',
      at(`${name}.crt`),
    );
  }
}
