import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

export class EndpointRefused extends Error {
  override name = 'EndpointRefused';
}

/** Resolves a host name to every address it has (A and AAAA). */
export type HostResolver = (host: string) => Promise<string[]>;

export const systemResolver: HostResolver = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Only public unicast addresses: loopback, private, link-local (cloud metadata at
 * 169.254.169.254), unique-local, CGNAT, multicast and reserved ranges are refused.
 */
export function isPublicAddress(address: string): boolean {
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return parsed.range() === 'unicast';
}

/**
 * An endpoint URL must be http(s), and (unless private endpoints are allowed) every address its
 * host resolves to must be public: checked when a subscriber is saved and again before each send,
 * so a name re-pointed at an internal address later is refused too.
 */
export async function checkEndpoint(
  raw: string,
  options: { allowPrivate: boolean; resolve?: HostResolver },
): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new EndpointRefused(`endpoint_url '${raw}' is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new EndpointRefused(`endpoint_url must be http or https, not ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw new EndpointRefused('endpoint_url must not carry credentials: use auth_type');
  }
  if (options.allowPrivate) return url;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (ipaddr.isValid(host)) addresses = [host];
  else {
    try {
      addresses = await (options.resolve ?? systemResolver)(host);
    } catch (error) {
      throw new EndpointRefused(
        `endpoint host '${host}' does not resolve: ${(error as Error).message}`,
      );
    }
  }
  const internal = addresses.filter((a) => !isPublicAddress(a));
  if (internal.length > 0) {
    throw new EndpointRefused(
      `endpoint host '${host}' resolves to a non-public address (${internal.join(', ')}); set ALLOW_PRIVATE_ENDPOINTS=true to allow it`,
    );
  }
  return url;
}
