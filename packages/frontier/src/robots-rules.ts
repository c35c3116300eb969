/**
 * robots.txt by RFC 9309, for one product token. Pure: no I/O; the caller fetches the file and decides what a
 * fetch status means with {@link robotsPolicyForStatus}.
 */

/** Bytes of a robots.txt file that are parsed (RFC 9309 §2.5 asks for at least 500 KiB); the rest is ignored. */
export const MAX_ROBOTS_BYTES = 512_000;

/** The longest Crawl-delay honoured, in milliseconds (30 s); longer values are clamped to it. */
export const MAX_CRAWL_DELAY_MS = 30_000;

/** Gleaner's robots.txt product token. */
export const GLEANER_PRODUCT_TOKEN = 'GleanerBot';

/** The rules of one robots.txt file that apply to one product token. */
export interface RobotsRules {
  /**
   * Whether the crawler may fetch a path: `pathAndQuery` is the URL's path plus its query (`/a/b?c=d`), without
   * scheme, host or fragment; an empty string means `/`. `/robots.txt` itself is always allowed.
   */
  isAllowed(pathAndQuery: string): boolean;
  /**
   * The Crawl-delay of the matching group in milliseconds, clamped to [0, {@link MAX_CRAWL_DELAY_MS}]; undefined
   * when the group gives none (or only an unparsable one). When several groups match, the largest delay wins.
   */
  crawlDelayMs?: number;
  /** Absolute http(s) URLs from `Sitemap:` lines anywhere in the file, deduplicated, in file order. */
  sitemaps: string[];
}

/** What to do with a host after fetching its robots.txt; see {@link robotsPolicyForStatus}. */
export type RobotsPolicy = 'parse' | 'allow-all' | 'disallow-all';

/**
 * Maps the final HTTP status of a robots.txt fetch (after redirects) to a policy, following RFC 9309 §2.3.1:
 * - 2xx: `parse` the body;
 * - 3xx (the redirect chain was cut, more than five hops) and 4xx: `allow-all` — the file is "unavailable";
 *   except 429, which is a request to slow down, so it is treated like a server error;
 * - 5xx, 429, anything else and `'unreachable'` (DNS, connect, timeout): `disallow-all` for now; the caller
 *   retries later and keeps the host's URLs parked, never dropped.
 */
export function robotsPolicyForStatus(status: number | 'unreachable'): RobotsPolicy {
  if (status === 'unreachable') return 'disallow-all';
  if (status >= 200 && status < 300) return 'parse';
  if (status === 429) return 'disallow-all';
  if (status >= 300 && status < 500) return 'allow-all';
  return 'disallow-all';
}

/** Rules that allow every path (used for the `allow-all` policy). */
export const ALLOW_ALL_ROBOTS: RobotsRules = Object.freeze({ isAllowed: () => true, sitemaps: [] });

/** Rules that disallow every path except `/robots.txt` (used for the `disallow-all` policy). */
export const DISALLOW_ALL_ROBOTS: RobotsRules = Object.freeze({
  isAllowed: (pathAndQuery: string) => pathAndQuery === '/robots.txt',
  sitemaps: [],
});

const utf8 = new TextEncoder();

interface Rule {
  allow: boolean;
  /** Normalized pattern with its `*` wildcards, without the trailing `$`. */
  pattern: string;
  /** Octets of the normalized pattern as written (with `*` and `$`); the longest match wins. */
  specificity: number;
  anchored: boolean;
  /** The pattern split on `*`, precomputed for matching. */
  pieces: string[];
}

interface Group {
  agents: string[];
  rules: Rule[];
  crawlDelayMs?: number;
}

/**
 * Parses a robots.txt body for `productToken` (default {@link GLEANER_PRODUCT_TOKEN}).
 *
 * Group choice: the groups whose `User-agent` equals the product token (case-insensitive; a value such as
 * `GleanerBot/1.0` is reduced to its leading token) are merged; if there are none, the `*` groups are merged; if
 * there are none either, everything is allowed. Rules: the longest matching pattern wins, `Allow` wins a tie,
 * `*` matches any run of characters and a final `$` anchors the end. Paths and patterns are compared after
 * percent-encoding normalization (unreserved escapes decoded, other escapes upper-cased, non-ASCII UTF-8 encoded).
 * An empty `Disallow:` is no rule. Tolerated: a BOM, CR/LF/CRLF line ends, comments, unknown keys, lines without a
 * colon (`Disallow /x`), a few common misspellings, and patterns that lack their leading `/`. Only the first
 * {@link MAX_ROBOTS_BYTES} bytes of UTF-8 are read, dropping a line cut in half.
 */
export function parseRobots(text: string, productToken: string = GLEANER_PRODUCT_TOKEN): RobotsRules {
  const token = productToken.toLowerCase();
  const groups: Group[] = [];
  const sitemaps: string[] = [];
  let current: Group | undefined;
  let lastWasAgent = false;

  for (const line of splitLines(truncate(text))) {
    const parsed = parseLine(line);
    if (!parsed) continue;
    const { key, value } = parsed;
    if (key === 'user-agent') {
      if (!current || !lastWasAgent) {
        current = { agents: [], rules: [] };
        groups.push(current);
      }
      current.agents.push(agentToken(value));
      lastWasAgent = true;
      continue;
    }
    if (key === 'sitemap') {
      if (isHttpUrl(value) && !sitemaps.includes(value)) sitemaps.push(value);
      continue;
    }
    // Rules before the first user-agent line belong to no group (RFC 9309 §2.2), so they are dropped.
    if (!current) continue;
    lastWasAgent = false;
    if (key === 'allow' || key === 'disallow') {
      const rule = compileRule(key === 'allow', value);
      if (rule) current.rules.push(rule);
    } else if (key === 'crawl-delay') {
      const delayMs = parseCrawlDelayMs(value);
      if (delayMs !== undefined) current.crawlDelayMs = Math.max(current.crawlDelayMs ?? 0, delayMs);
    }
  }

  let chosen = groups.filter((g) => g.agents.includes(token));
  if (chosen.length === 0) chosen = groups.filter((g) => g.agents.includes('*'));
  const rules = chosen.flatMap((g) => g.rules);
  const delays = chosen.flatMap((g) => (g.crawlDelayMs === undefined ? [] : [g.crawlDelayMs]));
  const result: RobotsRules = { isAllowed: (path) => isAllowed(rules, path), sitemaps };
  if (delays.length > 0) result.crawlDelayMs = Math.max(...delays);
  return result;
}

function truncate(text: string): string {
  if (text.length * 3 <= MAX_ROBOTS_BYTES) return text; // cannot exceed the cap even if every char took 3 bytes
  const bytes = utf8.encode(text);
  if (bytes.length <= MAX_ROBOTS_BYTES) return text;
  const head = new TextDecoder().decode(bytes.subarray(0, MAX_ROBOTS_BYTES));
  // The last line may be cut mid-way; a shortened Allow would allow more than the site meant, so drop it.
  const end = Math.max(head.lastIndexOf('\n'), head.lastIndexOf('\r'));
  return end < 0 ? '' : head.slice(0, end);
}

function splitLines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
}

const KEY_ALIASES: Record<string, string> = {
  'user-agent': 'user-agent',
  'user agent': 'user-agent',
  useragent: 'user-agent',
  allow: 'allow',
  disallow: 'disallow',
  dissallow: 'disallow',
  disalow: 'disallow',
  'crawl-delay': 'crawl-delay',
  'crawl delay': 'crawl-delay',
  crawldelay: 'crawl-delay',
  sitemap: 'sitemap',
  'site-map': 'sitemap',
};

function parseLine(raw: string): { key: string; value: string } | undefined {
  const hash = raw.indexOf('#');
  const line = (hash >= 0 ? raw.slice(0, hash) : raw).trim();
  if (!line) return undefined;
  const colon = line.indexOf(':');
  let rawKey: string;
  let value: string;
  if (colon >= 0) {
    rawKey = line.slice(0, colon);
    value = line.slice(colon + 1);
  } else {
    const space = line.search(/\s/);
    if (space < 0) return undefined;
    rawKey = line.slice(0, space);
    value = line.slice(space + 1);
  }
  const key = KEY_ALIASES[rawKey.trim().toLowerCase().replace(/\s+/g, ' ')];
  return key ? { key, value: value.trim() } : undefined;
}

/** `GleanerBot/1.0 (+https://…)` → `gleanerbot`; `*` stays `*`. */
function agentToken(value: string): string {
  if (value.startsWith('*')) return '*';
  const match = /^[A-Za-z0-9_-]+/.exec(value);
  return (match ? match[0] : value).toLowerCase();
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function parseCrawlDelayMs(value: string): number | undefined {
  if (!/^\d+(\.\d*)?$|^\.\d+$/.test(value)) return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds)) return undefined;
  return Math.min(Math.round(seconds * 1000), MAX_CRAWL_DELAY_MS);
}

function compileRule(allow: boolean, value: string): Rule | undefined {
  if (!value) return undefined;
  let written = normalizeRobotsPath(value.replace(/\*+/g, '*'));
  if (!written.startsWith('/') && !written.startsWith('*')) written = `/${written}`;
  const anchored = written.endsWith('$');
  const pattern = anchored ? written.slice(0, -1) : written;
  return { allow, pattern, specificity: written.length, anchored, pieces: pattern.split('*') };
}

/**
 * A matcher for one robots.txt-style path pattern (a path prefix with `*` wildcards and an optional trailing `$`),
 * as RFC 9309 matches them; other files that borrow the syntax (TDMRep's `location`) use it too. Undefined for an
 * empty pattern.
 */
export function pathPatternMatcher(pattern: string): ((pathAndQuery: string) => boolean) | undefined {
  const rule = compileRule(true, pattern);
  return rule && ((pathAndQuery) => matches(rule, normalizeRobotsPath(pathAndQuery || '/')));
}

function isAllowed(rules: readonly Rule[], pathAndQuery: string): boolean {
  const path = normalizeRobotsPath(pathAndQuery || '/');
  if (path === '/robots.txt') return true;
  let best: Rule | undefined;
  for (const rule of rules) {
    if (best && rule.specificity < best.specificity) continue;
    if (best && rule.specificity === best.specificity && (best.allow || !rule.allow)) continue;
    if (matches(rule, path)) best = rule;
  }
  return best ? best.allow : true;
}

/**
 * Glob match with `*` only: the first piece must be a prefix, each later piece is taken at its leftmost
 * occurrence (which is always safe for `*`-only globs), and an anchored pattern must end exactly at the end.
 */
function matches(rule: Rule, path: string): boolean {
  const { pieces, anchored } = rule;
  const first = pieces[0] ?? '';
  if (!path.startsWith(first)) return false;
  if (pieces.length === 1) return anchored ? path.length === first.length : true;
  let at = first.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const piece = pieces[i] ?? '';
    const found = path.indexOf(piece, at);
    if (found < 0) return false;
    at = found + piece.length;
  }
  const last = pieces[pieces.length - 1] ?? '';
  if (!anchored) return path.indexOf(last, at) >= 0;
  return path.length - last.length >= at && path.endsWith(last);
}

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/**
 * Percent-encoding normalization used on both sides of a comparison (RFC 9309 §2.2.2): escapes of unreserved
 * ASCII are decoded, other escapes upper-cased, non-ASCII characters, controls and spaces UTF-8 percent-encoded,
 * and a `%` that starts no escape becomes `%25`.
 */
export function normalizeRobotsPath(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] ?? '';
    const code = value.charCodeAt(i);
    if (ch === '%') {
      const hex = value.slice(i + 1, i + 3);
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        const decoded = String.fromCharCode(parseInt(hex, 16));
        out += UNRESERVED.test(decoded) ? decoded : `%${hex.toUpperCase()}`;
        i += 2;
      } else {
        out += '%25';
      }
    } else if (code > 0x20 && code < 0x7f) {
      out += ch;
    } else {
      const point = value.codePointAt(i) ?? code;
      if (point > 0xffff) i++;
      for (const byte of utf8.encode(String.fromCodePoint(point))) {
        out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
      }
    }
  }
  return out;
}
