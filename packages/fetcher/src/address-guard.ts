/**
 * The private-network guard: pure functions that say whether an IP address may be reached from a contributor's
 * machine. No I/O here — resolution and connection live in the fetcher, which asks this module about every address
 * it is about to connect to.
 */

/**
 * What kind of address an IP is, after the IANA IPv4/IPv6 special-purpose registries. Only `'public'` is reachable
 * by default.
 */
export type AddressClass =
  | 'public'
  | 'invalid'
  | 'unspecified'
  | 'this-network'
  | 'loopback'
  | 'private'
  | 'shared'
  | 'link-local'
  | 'unique-local'
  | 'site-local'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'documentation'
  | 'benchmark'
  | 'ietf-protocol'
  | 'discard-only'
  | 'translation'
  | 'segment-routing';

/** Address classes that `allowPrivateNetwork` opens up (tests and demos on a local network). */
export const PRIVATE_NETWORK_CLASSES: ReadonlySet<AddressClass> = new Set<AddressClass>([
  'loopback',
  'private',
  'shared',
  'unique-local',
]);

/** A parsed IP address: its family and its value as an unsigned integer (32 or 128 bits). */
export interface ParsedIp {
  family: 4 | 6;
  value: bigint;
}

/** A parsed CIDR block. */
export interface Cidr {
  family: 4 | 6;
  base: bigint;
  prefix: number;
}

const V4_PART = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    // Only canonical dotted-decimal: the URL parser has already turned octal/hex/short forms into this.
    if (!V4_PART.test(part)) return undefined;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

function parseIpv6(input: string): bigint | undefined {
  let text = input;
  const zone = text.indexOf('%');
  if (zone !== -1) text = text.slice(0, zone); // a zone id names an interface, not a different address
  if (text.length === 0 || /[^0-9a-fA-F:.]/.test(text)) return undefined;

  let groups: number[] = [];
  const lastColon = text.lastIndexOf(':');
  let tail = text;
  if (text.includes('.')) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = tail.split('::');
  if (halves.length > 2) return undefined;
  const parseHalf = (half: string): number[] | undefined => {
    if (half === '') return [];
    const out: number[] = [];
    for (const g of half.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(Number.parseInt(g, 16));
    }
    return out;
  };
  const head = parseHalf(halves[0] ?? '');
  if (head === undefined) return undefined;
  if (halves.length === 2) {
    const rest = parseHalf(halves[1] ?? '');
    if (rest === undefined || head.length + rest.length > 7) return undefined;
    groups = [...head, ...new Array<number>(8 - head.length - rest.length).fill(0), ...rest];
  } else {
    if (head.length !== 8) return undefined;
    groups = head;
  }
  let value = 0n;
  for (const g of groups) value = (value << 16n) | BigInt(g);
  return value;
}

/**
 * Parses an IP literal: canonical dotted IPv4, or IPv6 with or without brackets and zone id. Returns `undefined` for
 * anything else (including host names and non-canonical IPv4 forms, which the WHATWG URL parser normalizes first).
 */
export function parseIp(text: string): ParsedIp | undefined {
  let t = text.trim();
  if (t.startsWith('[') && t.endsWith(']')) t = t.slice(1, -1);
  if (t.includes(':')) {
    const value = parseIpv6(t);
    return value === undefined ? undefined : { family: 6, value };
  }
  const value = parseIpv4(t);
  return value === undefined ? undefined : { family: 4, value };
}

/** Parses `a.b.c.d/n`, `x::/n`, or a bare IP (a /32 or /128). Throws `TypeError` on bad input. */
export function parseCidr(text: string): Cidr {
  const slash = text.indexOf('/');
  const ip = parseIp(slash === -1 ? text : text.slice(0, slash));
  if (ip === undefined) throw new TypeError(`not an IP address or CIDR: ${text}`);
  const bits = ip.family === 4 ? 32 : 128;
  const prefixText = slash === -1 ? String(bits) : text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) {
    throw new TypeError(`bad CIDR prefix: ${text}`);
  }
  const prefix = Number(prefixText);
  return { family: ip.family, base: ip.value & mask(bits, prefix), prefix };
}

function mask(bits: number, prefix: number): bigint {
  const all = (1n << BigInt(bits)) - 1n;
  return all ^ ((1n << BigInt(bits - prefix)) - 1n);
}

/** Whether `ip` lies inside `cidr` (families must match). */
export function cidrContains(cidr: Cidr, ip: ParsedIp): boolean {
  if (cidr.family !== ip.family) return false;
  return (ip.value & mask(ip.family === 4 ? 32 : 128, cidr.prefix)) === cidr.base;
}

type Table = readonly (readonly [Cidr, AddressClass])[];

const table = (rows: [string, AddressClass][]): Table => rows.map(([c, k]) => [parseCidr(c), k] as const);

// Order matters: the first match wins, so narrower blocks come before the blocks that contain them.
const V4_TABLE = table([
  ['0.0.0.0/32', 'unspecified'],
  ['0.0.0.0/8', 'this-network'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'shared'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'ietf-protocol'],
  ['192.0.2.0/24', 'documentation'],
  ['192.88.99.0/24', 'reserved'], // deprecated 6to4 relay anycast
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'benchmark'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['255.255.255.255/32', 'broadcast'],
  ['240.0.0.0/4', 'reserved'],
]);

const V6_TABLE = table([
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['64:ff9b:1::/48', 'translation'], // local-use NAT64 (RFC 8215): only meaningful inside one network
  ['::/8', 'reserved'], // includes the deprecated IPv4-compatible ::/96
  ['100::/64', 'discard-only'],
  ['2001:db8::/32', 'documentation'],
  ['2001::/23', 'ietf-protocol'], // Teredo, benchmarking, ORCHID, AMT, AS112…: nothing to crawl there
  ['3fff::/20', 'documentation'],
  ['5f00::/16', 'segment-routing'],
  ['fc00::/7', 'unique-local'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'site-local'],
  ['ff00::/8', 'multicast'],
]);

const MAPPED_V4 = parseCidr('::ffff:0:0/96');
const NAT64_WELL_KNOWN = parseCidr('64:ff9b::/96');
const SIX_TO_FOUR = parseCidr('2002::/16');
const GLOBAL_UNICAST = parseCidr('2000::/3');

/**
 * If `ip` is an IPv6 address that carries an IPv4 address whose reachability it stands for (IPv4-mapped `::ffff:0:0/96`,
 * NAT64 `64:ff9b::/96`, 6to4 `2002::/16`), returns that IPv4 address; otherwise `undefined`.
 */
export function embeddedIpv4(ip: ParsedIp): ParsedIp | undefined {
  if (ip.family !== 6) return undefined;
  if (cidrContains(MAPPED_V4, ip) || cidrContains(NAT64_WELL_KNOWN, ip)) {
    return { family: 4, value: ip.value & 0xffffffffn };
  }
  if (cidrContains(SIX_TO_FOUR, ip)) return { family: 4, value: (ip.value >> 80n) & 0xffffffffn };
  return undefined;
}

function classifyParsed(ip: ParsedIp): AddressClass {
  const v4 = embeddedIpv4(ip);
  if (v4 !== undefined) return classifyParsed(v4);
  const rows = ip.family === 4 ? V4_TABLE : V6_TABLE;
  for (const [cidr, kind] of rows) if (cidrContains(cidr, ip)) return kind;
  // Outside 2000::/3 no IPv6 unicast space has been allocated yet.
  if (ip.family === 6 && !cidrContains(GLOBAL_UNICAST, ip)) return 'reserved';
  return 'public';
}

/**
 * Classifies an IP literal after the IANA special-purpose registries. IPv6 forms that embed an IPv4 address
 * (IPv4-mapped, NAT64, 6to4) are judged by the embedded address. Anything that is not an IP literal is `'invalid'`.
 */
export function classifyAddress(ip: string): AddressClass {
  const parsed = parseIp(ip);
  return parsed === undefined ? 'invalid' : classifyParsed(parsed);
}

/** True unless `ip` is a public unicast address. Fails closed: unparseable input is blocked. */
export function isBlockedAddress(ip: string): boolean {
  return classifyAddress(ip) !== 'public';
}

/** Options of {@link AddressPolicy}. */
export interface AddressPolicyOptions {
  /** Also allow loopback, RFC 1918, CGNAT and unique-local addresses (tests and demos). Default `false`. */
  allowPrivateNetwork?: boolean;
  /** Exact IPs or CIDRs allowed whatever their class. Default none. */
  allowAddresses?: readonly string[];
}

/** The verdict on one address. */
export interface AddressVerdict {
  allowed: boolean;
  kind: AddressClass;
}

/** Most verdicts an {@link AddressPolicy} keeps (it starts afresh when full). */
const VERDICT_CACHE_SIZE = 4096;

/** The guard's decision for one fetcher: the class table plus the owner's explicit exceptions. */
export class AddressPolicy {
  readonly #allowPrivate: boolean;
  readonly #allowList: Cidr[];

  /** @throws TypeError if an `allowAddresses` entry is not an IP or CIDR. */
  constructor(options: AddressPolicyOptions = {}) {
    this.#allowPrivate = options.allowPrivateNetwork ?? false;
    this.#allowList = (options.allowAddresses ?? []).map(parseCidr);
  }

  /** Verdicts already given, by address text: judging is pure, and a node meets the same few addresses again. */
  readonly #verdicts = new Map<string, AddressVerdict>();

  /** Judges one IP literal. IPv4-mapped IPv6 addresses match IPv4 allow-list entries. */
  check(ip: string): AddressVerdict {
    let verdict = this.#verdicts.get(ip);
    if (verdict === undefined) {
      verdict = Object.freeze(this.#judge(ip));
      if (this.#verdicts.size >= VERDICT_CACHE_SIZE) this.#verdicts.clear();
      this.#verdicts.set(ip, verdict);
    }
    return verdict;
  }

  #judge(ip: string): AddressVerdict {
    const parsed = parseIp(ip);
    if (parsed === undefined) return { allowed: false, kind: 'invalid' };
    const kind = classifyParsed(parsed);
    const forms = [parsed];
    const v4 = cidrContains(MAPPED_V4, parsed) ? embeddedIpv4(parsed) : undefined;
    if (v4 !== undefined) forms.push(v4);
    if (this.#allowList.some((c) => forms.some((f) => cidrContains(c, f)))) return { allowed: true, kind };
    if (kind === 'public') return { allowed: true, kind };
    return { allowed: this.#allowPrivate && PRIVATE_NETWORK_CLASSES.has(kind), kind };
  }
}
