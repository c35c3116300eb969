import dns from 'node:dns';
import type { Readable } from 'node:stream';
import type { LookupAddress } from 'node:dns';
import type { AddressPolicy } from './address-guard.js';
import { ACCEPT_ENCODING, followAbort, readBody, type ByteBudget } from './body-reader.js';
import { createPinnedPool, type ConnectionPools, type PinnedPool } from './connection-pools.js';
import { FetchFailure, toFetchFailure } from './fetch-failure.js';
import type { RateLimiter } from './rate-limiter.js';
import { isAllowedContentType, type SafeFetchLimits } from './safe-fetch-limits.js';
import type { CheckedUrl } from './url-policy.js';

/** Resolves a host name to every address it has. */
export type Resolver = (hostname: string) => Promise<{ address: string; family: 4 | 6 }[]>;

/** The default resolver: the operating system's, through `dns.lookup` with `all: true`. */
export const systemResolver: Resolver = async (hostname) => {
  const found = await dns.promises.lookup(hostname, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/** Everything one hop needs from its fetcher. */
export interface HopContext {
  policy: AddressPolicy;
  resolve: Resolver;
  limits: SafeFetchLimits;
  userAgent: string;
  budget: ByteBudget;
  /** Aborts the hop; a {@link FetchFailure} reason becomes the hop's failure. */
  signal: AbortSignal;
  /** Check the final response's `Content-Type` (off for a page's sub-resources). Default true. */
  checkContentType?: boolean;
  /** `Accept` header to send. */
  accept?: string;
  /** Validators of a copy the caller holds: sent as `If-None-Match` / `If-Modified-Since` (a 304 is then a result). */
  conditional?: ConditionalRequest | undefined;
  /** Milliseconds since the fetch began, for timings. */
  sinceStart: () => number;
  /** Paces body bytes as they are read (the owner's bandwidth cap). Default none. */
  rateLimiter?: RateLimiter | undefined;
  /** Keep-alive pools to reuse connections from. Default none: one connection per hop, closed after it. */
  pools?: ConnectionPools | undefined;
}

/** One response, body already read and decoded (empty for redirects). */
export interface HopResult {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** The address the socket really connected to. */
  remoteAddress: string;
  /** Resolved `Location` if this is a redirect with one. */
  location: string | undefined;
  headersMs: number;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const DEFAULT_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5';

function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e as Error);
      },
    );
  });
}

/**
 * Resolves the host once and judges every address; a name with any blocked address is refused as a whole (a name
 * that mixes public and private answers is a rebinding attempt more often than not).
 */
export async function resolveAllowed(target: CheckedUrl, ctx: HopContext): Promise<LookupAddress[]> {
  let addresses: { address: string; family: 4 | 6 }[];
  if (target.ipLiteral !== undefined) {
    addresses = [{ address: target.ipLiteral, family: target.ipLiteral.includes(':') ? 6 : 4 }];
  } else {
    try {
      addresses = await raceSignal(ctx.resolve(target.host), ctx.signal);
    } catch (error) {
      if (error instanceof FetchFailure) throw error;
      throw new FetchFailure('DNS_FAILURE', `could not resolve ${target.host}`, { cause: error });
    }
    if (addresses.length === 0) throw new FetchFailure('DNS_FAILURE', `${target.host} has no addresses`);
  }
  for (const { address } of addresses) {
    const verdict = ctx.policy.check(address);
    if (!verdict.allowed) {
      throw new FetchFailure('BLOCKED_ADDRESS', `${target.host} resolves to a ${verdict.kind} address`);
    }
  }
  return addresses;
}

/** Validators for a conditional GET, as the response that made the caller's copy gave them. */
export interface ConditionalRequest {
  etag?: string | undefined;
  lastModified?: string | undefined;
}

/** Longest validator sent back, in characters; longer (or malformed) ones are left out. */
const MAX_VALIDATOR_LENGTH = 512;

function validator(value: string | undefined): string | undefined {
  // Printable ASCII only: nothing from a job can smuggle a header line or a control byte onto the wire.
  if (value === undefined || value.length === 0 || value.length > MAX_VALIDATOR_LENGTH) return undefined;
  return /^[\x20-\x7e]+$/.test(value) ? value : undefined;
}

function conditionalHeaders(conditional: ConditionalRequest | undefined): Record<string, string> {
  const etag = validator(conditional?.etag);
  const lastModified = validator(conditional?.lastModified);
  return {
    ...(etag === undefined ? {} : { 'if-none-match': etag }),
    ...(lastModified === undefined ? {} : { 'if-modified-since': lastModified }),
  };
}

/** Drops a body we will not read; undici reports the resulting abort as an error nobody needs. */
function discard(body: Readable): void {
  body.on('error', () => undefined);
  body.destroy();
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    const key = name.toLowerCase();
    // Cookies are never kept: the fetcher holds no session and records carry no identifiers.
    if (value === undefined || key === 'set-cookie') continue;
    out[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/**
 * Fetches one URL without following redirects: resolve and judge the host, connect to exactly the judged address
 * (checking the socket's peer again), send a cookie-less GET, and read the body inside the limits.
 * Throws {@link FetchFailure}.
 */
export async function fetchHop(target: CheckedUrl, ctx: HopContext): Promise<HopResult> {
  const { limits } = ctx;
  const hop = new AbortController();
  const headersTimer = setTimeout(
    () => hop.abort(new FetchFailure('TIMEOUT', `no response headers within ${limits.headersTimeoutMs} ms`)),
    limits.headersTimeoutMs,
  );
  const unlink = followAbort(ctx.signal, hop);
  const signal = hop.signal;
  let oneOff: PinnedPool | undefined;
  try {
    const addresses = await resolveAllowed(target, { ...ctx, signal });
    const poolTarget = {
      origin: target.url.origin,
      addresses,
      maxHeaderBytes: limits.maxHeaderBytes,
      connectTimeoutMs: limits.headersTimeoutMs,
    };
    let pinned: PinnedPool;
    if (ctx.pools !== undefined) pinned = ctx.pools.get(poolTarget);
    else pinned = oneOff = createPinnedPool(poolTarget, ctx.policy);
    const response = await pinned.pool.request({
      method: 'GET',
      path: `${target.url.pathname}${target.url.search}`,
      headers: {
        'user-agent': ctx.userAgent,
        accept: ctx.accept ?? DEFAULT_ACCEPT,
        'accept-encoding': ACCEPT_ENCODING,
        ...conditionalHeaders(ctx.conditional),
      },
      signal,
      headersTimeout: limits.headersTimeoutMs,
      bodyTimeout: limits.totalTimeoutMs,
    });
    const remoteAddress = pinned.peer();
    const headersMs = ctx.sinceStart();
    clearTimeout(headersTimer);
    const headers = flattenHeaders(response.headers);
    const status = response.statusCode;
    const locationHeader = headers.location;
    if (REDIRECT_STATUSES.has(status) && locationHeader !== undefined) {
      discard(response.body);
      let location: string;
      try {
        location = new URL(locationHeader, target.url).href;
      } catch (error) {
        throw new FetchFailure('INVALID_URL', `bad redirect Location: ${locationHeader.slice(0, 200)}`, {
          cause: error,
        });
      }
      return { status, headers, body: Buffer.alloc(0), remoteAddress, location, headersMs };
    }
    if (
      (ctx.checkContentType ?? true) &&
      !isAllowedContentType(headers['content-type'], limits.allowedContentTypes)
    ) {
      discard(response.body);
      throw new FetchFailure('BAD_CONTENT_TYPE', `content type ${headers['content-type']} is not allowed`);
    }
    const declared = Number(headers['content-length']);
    if (Number.isFinite(declared) && ctx.budget.wireBytes + declared > limits.maxBodyBytes) {
      discard(response.body);
      throw new FetchFailure(
        'TOO_LARGE',
        `declared body of ${declared} bytes exceeds ${limits.maxBodyBytes} bytes`,
      );
    }
    const body = await readBody(response.body, {
      contentEncoding: headers['content-encoding'],
      limits,
      budget: ctx.budget,
      signal,
      rateLimiter: ctx.rateLimiter,
    });
    return { status, headers, body, remoteAddress, location: undefined, headersMs };
  } catch (error) {
    throw toFetchFailure(signal.aborted && !(error instanceof FetchFailure) ? signal.reason : error);
  } finally {
    unlink();
    clearTimeout(headersTimer);
    oneOff?.pool.destroy().catch(() => undefined);
  }
}

/** Where a redirect chain stands: updated as it goes, so a failure can still report how far it got. */
export interface RedirectState {
  /** The URL being fetched (the final one once done). */
  currentUrl: string;
  /** Every URL that answered with a redirect, in order. */
  redirects: string[];
}

/**
 * Fetches `state.currentUrl`, following redirects by hand up to `limits.maxRedirects`; every hop passes the URL
 * policy and the address guard again. Throws {@link FetchFailure}.
 */
export async function followRedirects(
  state: RedirectState,
  ctx: HopContext,
  checkUrl: (url: string) => CheckedUrl,
): Promise<HopResult> {
  for (;;) {
    const target = checkUrl(state.currentUrl);
    state.currentUrl = target.url.href;
    const hop = await fetchHop(target, ctx);
    if (hop.location === undefined) return hop;
    state.redirects.push(state.currentUrl);
    if (state.redirects.length > ctx.limits.maxRedirects) {
      throw new FetchFailure('TOO_MANY_REDIRECTS', `more than ${ctx.limits.maxRedirects} redirects`);
    }
    state.currentUrl = hop.location;
  }
}
