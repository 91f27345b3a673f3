import { BlockList, isIP } from 'node:net';
import type { Context, Next } from 'koa';
import type { ProxyTrust } from '../../config/config.js';

/** An address as a proxy may write it (`1.2.3.4`, `1.2.3.4:80`, `[::1]:80`, `::ffff:1.2.3.4`), or undefined. */
function parseAddress(entry: string): string | undefined {
  let text = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) text = bracketed[1]!;
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(text)) text = text.slice(0, text.lastIndexOf(':'));
  if (isIP(text) === 0) return undefined;
  return text.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
}

function blockListOf(trust: ProxyTrust): BlockList | undefined {
  if (trust.kind !== 'networks') return undefined;
  const list = new BlockList();
  for (const network of trust.networks) list.addSubnet(network.address, network.prefix, network.family);
  return list;
}

/**
 * The address of the client, from the TCP peer and `X-Forwarded-For`:
 * - no proxy trusted: the peer; the header is ignored;
 * - N proxy hops: the address N places left of the peer (each proxy appends the address it saw);
 * - trusted proxy networks: only when the peer is one of them, the rightmost address that is not.
 * A header with anything but addresses in it is ignored, never trusted. The client cannot choose its
 * address by writing entries on the left: they are only ever reached through trusted proxies.
 */
export function clientAddressResolver(trust: ProxyTrust): (peer: string, forwardedFor: string) => string {
  const trusted = blockListOf(trust);
  const isTrusted = (address: string) =>
    trusted?.check(address, isIP(address) === 4 ? 'ipv4' : 'ipv6') ?? false;
  return (peer, forwardedFor) => {
    const direct = parseAddress(peer) ?? peer;
    if (trust.kind === 'none' || !forwardedFor.trim()) return direct;
    const chain = forwardedFor.split(',').map(parseAddress);
    if (chain.some((entry) => entry === undefined)) return direct;
    const seen = [...(chain as string[]), direct];
    if (trust.kind === 'hops') return seen[Math.max(0, seen.length - 1 - trust.hops)]!;
    if (!isTrusted(direct)) return direct;
    for (let index = seen.length - 1; index >= 0; index--) {
      if (!isTrusted(seen[index]!)) return seen[index]!;
    }
    return seen[0]!;
  };
}

/** Settles `ctx.ip` once, for everything after it: logs, throttling, the audit trail, the provider. */
export function clientAddress(trust: ProxyTrust) {
  const resolve = clientAddressResolver(trust);
  return async (ctx: Context, next: Next) => {
    ctx.request.ip = resolve(ctx.req.socket.remoteAddress ?? '', ctx.get('x-forwarded-for'));
    await next();
  };
}
