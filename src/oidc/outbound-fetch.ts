import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Loopback, private, link-local (cloud metadata), shared, documentation, multicast and reserved ranges. */
const SPECIAL_USE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  SPECIAL_USE.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  SPECIAL_USE.addSubnet(network, prefix, 'ipv6');
}

/**
 * True for an IP address that is not globally reachable; false for public addresses and non-addresses.
 * IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are checked against the IPv4 ranges by BlockList itself.
 */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(bare);
  if (family === 0) return false;
  return SPECIAL_USE.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

export class OutboundFetchRefused extends Error {
  constructor(url: URL, reason: string) {
    super(`Refused to fetch ${url.origin}: ${reason}`);
    this.name = 'OutboundFetchRefused';
  }
}

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
type Resolve = (hostname: string) => Promise<string[]>;

const resolveAll: Resolve = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

export interface OutboundFetchOptions {
  /** Allow http and loopback or private addresses. Tests and local development only. */
  allowPrivateNetworks: boolean;
  resolve?: Resolve;
}

/**
 * oidc-provider's `fetch`, used for a client's `jwks_uri` and `sector_identifier_uri`. Those URLs come from
 * developers, so they must not reach into our network (SSRF): only https, and only hosts whose every
 * address is public. oidc-provider's own dispatcher stays in place and checks the address it actually
 * connects to, which also defeats DNS rebinding between our lookup and the connection.
 */
export function createOutboundFetch({
  allowPrivateNetworks,
  resolve = resolveAll,
}: OutboundFetchOptions): Fetch {
  return async (input, init = {}) => {
    const url = new URL(input instanceof Request ? input.url : input);
    if (allowPrivateNetworks) {
      // The provider's dispatcher refuses loopback connections; tests serve their documents on loopback.
      const { dispatcher: _dispatcher, ...rest } = init as RequestInit & { dispatcher?: unknown };
      return globalThis.fetch(input, rest);
    }
    if (url.protocol !== 'https:') throw new OutboundFetchRefused(url, 'only https URLs are fetched');
    const addresses = await resolve(url.hostname.replace(/^\[(.*)\]$/, '$1')).catch(() => []);
    if (addresses.length === 0) throw new OutboundFetchRefused(url, 'the host does not resolve');
    if (addresses.some(isPrivateAddress)) {
      throw new OutboundFetchRefused(url, 'the host has a private or loopback address');
    }
    return globalThis.fetch(input, init);
  };
}
