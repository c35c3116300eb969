/** Options for {@link normalizeUrl}. */
export interface NormalizeOptions {
  /** Query parameters to drop (exact names or `prefix*`). Default {@link TRACKING_PARAMETERS}. */
  dropParameters?: readonly string[];
  /** Sort query parameters by name. Default true. */
  sortQuery?: boolean;
}

/** Tracking parameters removed by default. */
export const TRACKING_PARAMETERS: readonly string[] = [
  'utm_*',
  'gclid',
  'fbclid',
  'msclkid',
  'mc_cid',
  'mc_eid',
];

/**
 * Normalizes an absolute or relative URL: resolves it against `base`, keeps http(s) only, lower-cases scheme and
 * host, drops default ports, the fragment, credentials and tracking parameters, resolves dot segments, sorts the
 * query, and normalizes percent-encoding. Returns undefined for anything that is not a usable http(s) URL.
 */
export function normalizeUrl(raw: string, base?: string, options: NormalizeOptions = {}): string | undefined {
  let url: URL;
  try {
    url = new URL(raw.trim(), base);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (!url.hostname) return undefined;
  url.hash = '';
  url.username = '';
  url.password = '';
  if (url.hostname.endsWith('.')) url.hostname = url.hostname.replace(/\.+$/, '');
  const drop = options.dropParameters ?? TRACKING_PARAMETERS;
  const params = [...url.searchParams.entries()].filter(([name]) => !matchesAny(name.toLowerCase(), drop));
  if (options.sortQuery ?? true) params.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  url.search = params.length ? new URLSearchParams(params).toString() : '';
  url.pathname = normalizePercentEncoding(url.pathname);
  return url.toString();
}

function matchesAny(name: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => (p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : name === p));
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;

/** Decodes percent-escapes of unreserved characters and upper-cases the rest (RFC 3986 §6.2.2). */
function normalizePercentEncoding(path: string): string {
  return path.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
  });
}
