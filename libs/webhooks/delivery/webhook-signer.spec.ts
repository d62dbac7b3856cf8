import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { isSigningSecret, newSigningSecret, signatureHeaders } from './webhook-signer';

describe('signatureHeaders', () => {
  const secret = newSigningSecret();
  const body = JSON.stringify({ event: 'write', record_id: 7 });

  it('verifies with the Standard Webhooks reference verification', () => {
    const headers = signatureHeaders({ secret }, 'msg_abc', body, new Date());
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('signs with both secrets during a rotation, each verifying', () => {
    const next = newSigningSecret();
    const headers = signatureHeaders(
      { secret: next, previousSecret: secret },
      'msg_abc',
      body,
      new Date(),
    );
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(secret).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(next).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(newSigningSecret()).verify(body, headers)).toThrow();
  });

  it('adds the plain HMAC header when asked', () => {
    const headers = signatureHeaders(
      { secret, plainHeader: 'X-Signature-256' },
      'msg_abc',
      body,
      new Date(),
    );
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    expect(headers['X-Signature-256']).toBe(
      `sha256=${createHmac('sha256', key).update(body).digest('hex')}`,
    );
  });

  it('makes secrets in the whsec_ format', () => {
    expect(isSigningSecret(secret)).toBe(true);
    expect(isSigningSecret('hunter2')).toBe(false);
  });
});
