import { hashApiKey, matchApiKey, newApiKey } from './api-keys';

describe('API keys', () => {
  const crm = newApiKey('crm');
  const mobile = newApiKey('mobile');
  const keys = [crm, mobile].map(({ entry }) => {
    const [name, sha256] = entry.split(':');
    return { name, sha256 };
  });

  it('names the key presented', () => {
    expect(matchApiKey(mobile.key, keys)).toBe('mobile');
    expect(matchApiKey(crm.key, keys)).toBe('crm');
  });

  it('recognises no other key, nor a hash presented as the key', () => {
    expect(matchApiKey(`${crm.key}x`, keys)).toBeUndefined();
    expect(matchApiKey(hashApiKey(crm.key), keys)).toBeUndefined();
    expect(matchApiKey('', keys)).toBeUndefined();
  });

  it('stores only the hash', () => {
    expect(crm.entry).toBe(`crm:${hashApiKey(crm.key)}`);
    expect(crm.entry).not.toContain(crm.key);
  });
});
