import pino from 'pino';
import { Writable } from 'node:stream';
import { maskQuerySecrets, maskUrlSecrets, REDACTED, REDACTED_PATHS } from './redaction';

function logged(write: (logger: pino.Logger) => void): string {
  let out = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      out += String(chunk);
      done();
    },
  });
  write(pino({ redact: { paths: REDACTED_PATHS, censor: REDACTED } }, stream));
  return out;
}

describe('log redaction', () => {
  const key = 'osk_live_0123456789abcdef';

  it('removes credentials from request and response headers', () => {
    const out = logged((l) =>
      l.info({
        req: {
          url: '/api/webhooks/pull',
          headers: {
            'x-api-key': key,
            authorization: `Bearer ${key}`,
            cookie: `session=${key}`,
            'webhook-secret': key,
            'user-agent': 'BridgeCore',
          },
        },
        res: { headers: { 'set-cookie': `session=${key}` } },
      }),
    );
    expect(out).not.toContain(key);
    expect(out).toContain('BridgeCore');
    expect(out).toContain(REDACTED);
  });

  it("removes a subscriber's secrets and credentials wherever the subscriber is logged", () => {
    const subscriber = {
      name: 'crm',
      secret: `whsec_${key}`,
      previous_secret: `whsec_old_${key}`,
      auth_secret: key,
      custom_headers: { 'X-Token': key },
    };
    const out = logged((l) => {
      l.warn(subscriber, 'plain');
      l.warn({ subscriber }, 'nested');
      l.warn({ change: { subscriber } }, 'deeper');
    });
    expect(out).not.toContain(key);
    expect(out).toContain('crm');
  });

  it('masks keys passed in a query string', () => {
    expect(maskUrlSecrets(`/api/webhooks/pull?api_key=${key}&limit=5`)).toBe(
      `/api/webhooks/pull?api_key=${REDACTED}&limit=5`,
    );
    expect(maskQuerySecrets({ token: key, limit: '5' })).toEqual({ token: REDACTED, limit: '5' });
  });
});
