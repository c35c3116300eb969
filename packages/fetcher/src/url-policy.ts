import { FetchFailure } from './fetch-failure.js';
import { parseIp } from './address-guard.js';

/** A URL that passed the scheme, port and domain checks, ready for address resolution. */
export interface CheckedUrl {
  /** The URL as it will be requested: WHATWG-normalized, without userinfo and fragment. */
  url: URL;
  /** Host name without brackets or trailing dot, lower-case (punycode for IDNs). */
  host: string;
  /** The IP literal if the host is one (IPv4 normalized from decimal/octal/hex forms by the URL parser). */
  ipLiteral: string | undefined;
  port: number;
}

/** Normalizes deny-list entries (`Example.COM.`, `*.example.com`, IDNs) to the form URL hosts take. */
export function normalizeDomains(domains: readonly string[] | undefined): string[] {
  const out: string[] = [];
  for (const raw of domains ?? []) {
    const bare = raw
      .trim()
      .replace(/^\*?\./, '')
      .replace(/\.$/, '');
    if (bare === '') continue;
    try {
      out.push(new URL(`http://${bare}/`).hostname);
    } catch {
      out.push(bare.toLowerCase());
    }
  }
  return out;
}

/**
 * Checks a URL before any network access. Userinfo is dropped (never sent, never kept in `finalUrl`); the fragment
 * too. Throws {@link FetchFailure} with `INVALID_URL`, `BLOCKED_SCHEME`, `BLOCKED_PORT` or `BLOCKED_DOMAIN`.
 */
export function checkUrl(
  input: string | URL,
  policy: { allowedPorts: readonly number[]; deniedDomains: readonly string[] },
): CheckedUrl {
  let url: URL;
  try {
    url = new URL(input);
  } catch (error) {
    throw new FetchFailure('INVALID_URL', `not a valid absolute URL: ${String(input).slice(0, 200)}`, {
      cause: error,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchFailure('BLOCKED_SCHEME', `scheme ${url.protocol} is not allowed (http and https only)`);
  }
  url.username = '';
  url.password = '';
  url.hash = '';
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  if (!policy.allowedPorts.includes(port)) {
    throw new FetchFailure('BLOCKED_PORT', `port ${port} is not allowed`);
  }
  let host = url.hostname.toLowerCase();
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  while (host.endsWith('.')) host = host.slice(0, -1);
  if (host === '') throw new FetchFailure('INVALID_URL', 'URL has an empty host');
  const ipLiteral = parseIp(host) === undefined ? undefined : host;
  if (ipLiteral === undefined) {
    const denied = policy.deniedDomains.find((d) => host === d || host.endsWith(`.${d}`));
    if (denied !== undefined)
      throw new FetchFailure('BLOCKED_DOMAIN', `${host} is on the owner's deny-list (${denied})`);
  }
  return { url, host, ipLiteral, port };
}
