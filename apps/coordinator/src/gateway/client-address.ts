import { isIP } from 'node:net';

/**
 * The address a node connected from: the socket's peer, or — only when that peer is one of `trustedProxies` — the
 * right-most `X-Forwarded-For` entry that is not itself a trusted proxy (entries further left are the client's own
 * claims, which anyone can forge). IPv4-mapped IPv6 addresses are given as IPv4.
 */
export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustedProxies: ReadonlySet<string>,
): string | undefined {
  const direct = plainAddress(peer);
  if (direct === undefined || !trustedProxies.has(direct)) return direct;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? ''))
    .split(',')
    .map((hop) => plainAddress(hop.trim()));
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i];
    if (hop === undefined) return direct;
    if (!trustedProxies.has(hop)) return hop;
  }
  return direct;
}

/**
 * The network of a session for caps and for telling nodes' networks apart, or undefined for a loopback address (nodes
 * on the coordinator's own machine: tests and demos, where every node shares 127.0.0.1).
 */
export function networkOf(address: string | undefined): string | undefined {
  if (address === undefined || address === '::1' || address.startsWith('127.')) return undefined;
  return addressPrefix(address);
}

/**
 * The network an address belongs to, for per-network caps and for telling nodes' networks apart: the /24 of an IPv4
 * address, the /48 of an IPv6 one (what one household or one small hosting customer usually holds).
 */
export function addressPrefix(address: string): string {
  if (isIP(address) === 4) return `${address.split('.').slice(0, 3).join('.')}.0/24`;
  const groups = expandIPv6(address);
  return `${groups.slice(0, 3).join(':')}::/48`;
}

function plainAddress(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text);
  const address = mapped?.[1] ?? text;
  return isIP(address) === 0 ? undefined : address.toLowerCase();
}

/** The eight 16-bit groups of an IPv6 address, as lower-case hex without leading zeros. */
function expandIPv6(address: string): string[] {
  const [head = '', tail] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = 8 - left.length - right.length;
  return [...left, ...Array<string>(Math.max(0, missing)).fill('0'), ...right].map((group) =>
    (parseInt(group, 16) || 0).toString(16),
  );
}
