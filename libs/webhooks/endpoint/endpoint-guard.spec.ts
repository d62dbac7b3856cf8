import { checkEndpoint, EndpointRefused, isPublicAddress } from './endpoint-guard';

describe('endpoint guard', () => {
  it.each([
    ['127.0.0.1', false],
    ['10.1.2.3', false],
    ['172.16.0.9', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['::1', false],
    ['fd00::1', false],
    ['fe80::1', false],
    ['::ffff:127.0.0.1', false],
    ['93.184.216.34', true],
    ['2606:4700::6810:85e5', true],
  ])('%s public: %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });

  const resolve = async (host: string) =>
    ({ 'crm.example.com': ['93.184.216.34'], 'sneaky.example.com': ['93.184.216.34', '10.0.0.5'] })[
      host
    ] ?? Promise.reject(new Error('ENOTFOUND'));

  it('accepts a public host and refuses one that resolves inside', async () => {
    await expect(
      checkEndpoint('https://crm.example.com/hook', { allowPrivate: false, resolve }),
    ).resolves.toBeInstanceOf(URL);
    await expect(
      checkEndpoint('https://sneaky.example.com/hook', { allowPrivate: false, resolve }),
    ).rejects.toThrow(/non-public address \(10\.0\.0\.5\)/);
    await expect(
      checkEndpoint('http://169.254.169.254/latest/meta-data', { allowPrivate: false, resolve }),
    ).rejects.toThrow(EndpointRefused);
    await expect(
      checkEndpoint('http://[::1]:8080/', { allowPrivate: false, resolve }),
    ).rejects.toThrow(EndpointRefused);
  });

  it('refuses what is not an http(s) URL, and hosts that do not resolve', async () => {
    await expect(checkEndpoint('ftp://crm.example.com', { allowPrivate: true })).rejects.toThrow(
      /http or https/,
    );
    await expect(checkEndpoint('not a url', { allowPrivate: true })).rejects.toThrow(
      /is not a URL/,
    );
    await expect(
      checkEndpoint('https://u:p@crm.example.com', { allowPrivate: true }),
    ).rejects.toThrow(/credentials/);
    await expect(
      checkEndpoint('https://nowhere.example.com', { allowPrivate: false, resolve }),
    ).rejects.toThrow(/does not resolve/);
  });

  it('allows private endpoints when told to', async () => {
    await expect(
      checkEndpoint('http://127.0.0.1:9000/hook', { allowPrivate: true }),
    ).resolves.toBeInstanceOf(URL);
  });
});
