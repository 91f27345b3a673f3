import { isIP } from 'node:net';

/**
 * The unit per-IP limits count: an IPv4 address, or the /64 network of an IPv6 address (one subscriber
 * usually holds a whole /64, so counting single IPv6 addresses would let one client rotate freely).
 * IPv4-mapped IPv6 addresses count as their IPv4 address. Anything that is not an address is its own bucket.
 */
export function ipBucket(address: string): string {
  const bare = address.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped) return mapped[1]!;
  if (isIP(bare) !== 6) return bare;
  return `${expandIpv6(bare).slice(0, 4).join(':')}::/64`;
}

/** The eight hextets of an IPv6 address, without leading zeros. */
function expandIpv6(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const parts = (text: string) => (text ? text.split(':') : []);
  const withIpv4Tail = (groups: string[]) => {
    const last = groups[groups.length - 1];
    if (!last?.includes('.')) return groups;
    const [a, b, c, d] = last.split('.').map(Number) as [number, number, number, number];
    return [...groups.slice(0, -1), ((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
  };
  const left = withIpv4Tail(parts(head));
  const right = tail === undefined ? [] : withIpv4Tail(parts(tail));
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((group) => Number.parseInt(group, 16).toString(16));
}
