import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import {
  isSigningSecret,
  newSigningSecret,
  rotationEndsAt,
  signatureHeaders,
  signingKeysOf,
} from './webhook-signer';

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

describe('signing during a rotation', () => {
  const old = newSigningSecret();
  const next = newSigningSecret();
  const body = '{"record_id":7}';
  const plain = (secret: string) =>
    `sha256=${createHmac('sha256', Buffer.from(secret.slice(6), 'base64'))
      .update(body)
      .digest('hex')}`;
  const rotatedAt = new Date('2026-12-01T10:00:00Z');
  const subscriber = {
    secret: next,
    previous_secret: old,
    rotated_at: rotatedAt,
    signature_header: 'X-Signature-256',
  };
  const overlap = 3_600_000;

  it('keeps the single-signature header on the previous secret until the overlap ends', () => {
    const during = new Date(rotatedAt.getTime() + overlap - 1);
    const headers = signatureHeaders(
      signingKeysOf(subscriber, during, overlap),
      'msg_1',
      body,
      new Date(),
    );
    expect(headers['X-Signature-256']).toBe(plain(old));
    expect(() => new Webhook(old).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(next).verify(body, headers)).not.toThrow();
    expect(rotationEndsAt(subscriber, overlap)).toEqual(new Date(rotatedAt.getTime() + overlap));
  });

  it('signs with the new secret alone once the overlap passed or the rotation was finished', () => {
    const after = new Date(rotatedAt.getTime() + overlap);
    for (const [s, at] of [
      [subscriber, after],
      [{ ...subscriber, previous_secret: null, rotated_at: null }, rotatedAt],
    ] as const) {
      const headers = signatureHeaders(signingKeysOf(s, at, overlap), 'msg_1', body, new Date());
      expect(() => new Webhook(next).verify(body, headers)).not.toThrow();
      expect(headers['X-Signature-256']).toBe(plain(next));
      expect(headers['webhook-signature'].split(' ')).toHaveLength(1);
      expect(() => new Webhook(old).verify(body, headers)).toThrow();
    }
  });
});
