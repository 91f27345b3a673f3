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
 * The fetch for URLs that come from outside: a client's `jwks_uri` and `sector_identifier_uri` (from
 * developers, through oidc-provider), and an upstream provider's discovery, token and JWKS endpoints (from
 * operators). None may reach into our network (SSRF): only https, and only hosts whose every address is
 * public. The addresses are checked twice: once before the request, for a clear error, and again by the
 * connection itself, which connects only to the addresses its own lookup checked. A name that resolves to
 * a public address first and a private one a moment later (DNS rebinding) is refused either way.
 */
export function createOutboundFetch({
  allowPrivateNetworks,
  resolve = resolveAll,
}: OutboundFetchOptions): Fetch {
  const dispatcher = allowPrivateNetworks ? undefined : publicOnlyAgent(resolve);
  return async (input, init = {}) => {
    const url = new URL(input instanceof Request ? input.url : input);
    // oidc-provider passes a dispatcher of its own; ours does its check and more (tests: none at all).
    const { dispatcher: _theirs, ...rest } = init as RequestInit & { dispatcher?: unknown };
    if (!dispatcher) return globalThis.fetch(input, rest);
    if (url.protocol !== 'https:') throw new OutboundFetchRefused(url, 'only https URLs are fetched');
    await publicAddresses(url, resolve);
    return globalThis.fetch(input, { ...rest, dispatcher } as RequestInit);
  };
}

async function publicAddresses(url: URL, resolve: Resolve): Promise<string[]> {
  const addresses = await resolve(url.hostname.replace(/^\[(.*)\]$/, '$1')).catch(() => []);
  if (addresses.length === 0) throw new OutboundFetchRefused(url, 'the host does not resolve');
  if (addresses.some(isPrivateAddress)) {
    throw new OutboundFetchRefused(url, 'the host has a private or loopback address');
  }
  return addresses;
}

type LookupCallback = (
  error: Error | null,
  address: string | Array<{ address: string; family: number }>,
  family?: number,
) => void;

/**
 * An undici Agent of the fetch that Node itself ships (the same classes oidc-provider uses for its own
 * check), whose connections resolve names through `publicAddresses`: what is checked is what is connected.
 */
function publicOnlyAgent(resolve: Resolve): object {
  void Response; // Node creates its fetch machinery, and the global dispatcher, on first use.
  const globals = globalThis as Record<symbol, object | undefined>;
  const globalDispatcher =
    globals[Symbol.for('undici.globalDispatcher.2')] ?? globals[Symbol.for('undici.globalDispatcher.1')];
  const Agent = globalDispatcher?.constructor as (new (options: object) => object) | undefined;
  if (!Agent) throw new Error("cannot guard outbound connections: Node's fetch dispatcher was not found");
  const lookup = (hostname: string, options: { all?: boolean }, callback: LookupCallback) => {
    const url = new URL(`https://${hostname.includes(':') ? `[${hostname}]` : hostname}`);
    publicAddresses(url, resolve).then(
      (addresses) => {
        const entries = addresses.map((address) => ({ address, family: isIP(address) }));
        if (options.all) callback(null, entries);
        else callback(null, entries[0]!.address, entries[0]!.family);
      },
      (error: Error) => callback(error, ''),
    );
  };
  return new Agent({ connect: { lookup } });
}
