import type { ErrorCode } from '@gleaner/core';
import { AddressPolicy } from './address-guard.js';
import { BrowserRenderer } from './browser-renderer.js';
import { ConnectionPools } from './connection-pools.js';
import { FetchFailure, toFetchFailure } from './fetch-failure.js';
import {
  followRedirects,
  systemResolver,
  type ConditionalRequest,
  type HopContext,
  type HopResult,
  type RedirectState,
  type Resolver,
} from './guarded-hop.js';
import type { RateLimiter } from './rate-limiter.js';
import { resolveLimits, tightenLimits, type SafeFetchLimits } from './safe-fetch-limits.js';
import { checkUrl, normalizeDomains } from './url-policy.js';

/** The user agent sent by default: names Gleaner and where to read about its crawler. */
export const DEFAULT_USER_AGENT = 'GleanerBot/0.1 (+https://gleaner.dev/bot)';

/** Options of a {@link SafeFetcher}: the contributor's own settings, which per-request options cannot loosen. */
export interface SafeFetcherOptions {
  /** Let connections reach loopback, RFC 1918, CGNAT and unique-local addresses (tests & demos only). Default false. */
  allowPrivateNetwork?: boolean;
  /** Exact IPs or CIDRs allowed despite the guard (e.g. a test fixture's own address). Default none. */
  allowAddresses?: string[];
  /** Resolver (hostname → addresses). Default: `dns.lookup` with `all: true`. Called once per hop. */
  resolve?: Resolver;
  /** Ports that may be connected to. Default `[80, 443]`. */
  allowedPorts?: number[];
  /** User agent. Default {@link DEFAULT_USER_AGENT}. */
  userAgent?: string;
  /** Limits of this fetcher; see {@link SafeFetchLimits} for each default. */
  limits?: Partial<SafeFetchLimits>;
  /** Owner's deny-list: a domain blocks itself and every subdomain (`BLOCKED_DOMAIN`). Default none. */
  deniedDomains?: string[];
  /** Chromium executable for `render: true`. Default `/usr/bin/chromium`. */
  chromiumPath?: string;
  /**
   * Paces every body byte read from the network (documents and, when rendering, their sub-resources), shared by all
   * fetches of this fetcher: the owner's bandwidth cap, held while a body downloads rather than between fetches.
   * Default none (line speed).
   */
  rateLimiter?: RateLimiter;
}

/** Per-request options of {@link SafeFetcher.fetch}. */
export interface SafeFetchRequest {
  /** Limits for this request; each can only tighten the fetcher's own. */
  limits?: Partial<SafeFetchLimits>;
  /** Aborts the fetch; the outcome is then `NETWORK_ERROR` ("aborted by the caller"). */
  signal?: AbortSignal;
  /** Render the page in Chromium (scripts run; images, media, fonts and WebSockets refused). Default false. */
  render?: boolean;
  /** Paces this request's body bytes instead of the fetcher's `rateLimiter`. Default the fetcher's. */
  rateLimiter?: RateLimiter;
  /**
   * Validators of a copy the caller already holds (a recrawl): sent as `If-None-Match` / `If-Modified-Since`; an
   * unchanged page then answers 304 with no body (and is not rendered). Values that are not printable ASCII or
   * longer than 512 characters are left out. Default none.
   */
  conditional?: ConditionalRequest;
}

/** Milliseconds from the start of the fetch. */
export interface FetchOutcomeTimings {
  /** Until the headers of the last response (0 if none arrived). */
  headersMs: number;
  /** Until the outcome was ready. */
  totalMs: number;
}

/** A fetch that produced a response (of any HTTP status). */
export interface FetchSuccess {
  ok: true;
  status: number;
  /** The URL that gave this response, after redirects, without userinfo or fragment. */
  finalUrl: string;
  /** Lower-case names; repeated headers joined with `, `; `set-cookie` removed. */
  headers: Record<string, string>;
  /** The decoded body (for `render: true`, the rendered HTML). */
  body: Buffer;
  timings: FetchOutcomeTimings;
  /** Every URL that answered with a redirect, in order (the first is the requested URL). */
  redirects: string[];
  /** The IP address the final response came from. */
  remoteAddress: string;
  /** Body bytes read from the network (before decoding), sub-resources of a rendered page included. */
  wireBytes: number;
  /** For `render: true`: the part of `wireBytes` spent on the page's sub-resources (scripts, styles, frames). */
  subresourceWireBytes?: number;
}

/** A fetch that was refused or stopped; `error.code` is stable. */
export interface FetchRefusal {
  ok: false;
  /** The URL being fetched when it stopped (the input as given if it could not be parsed). */
  finalUrl: string;
  error: { code: ErrorCode; message: string };
  timings: FetchOutcomeTimings;
  redirects: string[];
  /** Body bytes read from the network before it stopped (the owner's bandwidth was spent on them all the same). */
  wireBytes: number;
}

/** The result of {@link SafeFetcher.fetch}: never thrown, always returned. */
export type FetchOutcome = FetchSuccess | FetchRefusal;

/** Builds a refusal outcome. */
export function refusal(
  finalUrl: string,
  failure: FetchFailure,
  timings: FetchOutcomeTimings,
  redirects: string[],
  wireBytes = 0,
): FetchRefusal {
  const error = { code: failure.code, message: failure.message };
  return { ok: false, finalUrl, error, timings, redirects, wireBytes };
}

/**
 * Fetches URLs for the network on a contributor's machine: the private-network guard on every resolved address
 * (pinned for the connection), redirects followed by hand and re-checked, no cookies or credentials, TLS always
 * verified, and hard limits on bytes, time, rate, headers and content types. Optionally renders pages in Chromium
 * with every request routed through the same guard.
 */
export class SafeFetcher {
  readonly #policy: AddressPolicy;
  readonly #resolve: Resolver;
  readonly #allowedPorts: readonly number[];
  readonly #deniedDomains: readonly string[];
  readonly #userAgent: string;
  readonly #limits: SafeFetchLimits;
  readonly #renderer: BrowserRenderer;
  readonly #rateLimiter: RateLimiter | undefined;
  readonly #pools: ConnectionPools;

  /** @throws TypeError if an `allowAddresses` entry is not an IP or CIDR. */
  constructor(options: SafeFetcherOptions = {}) {
    this.#policy = new AddressPolicy(options);
    this.#resolve = options.resolve ?? systemResolver;
    this.#allowedPorts = options.allowedPorts ?? [80, 443];
    this.#deniedDomains = normalizeDomains(options.deniedDomains);
    this.#userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    this.#limits = resolveLimits(options.limits);
    this.#rateLimiter = options.rateLimiter;
    this.#pools = new ConnectionPools(this.#policy);
    this.#renderer = new BrowserRenderer({
      executablePath: options.chromiumPath,
      userAgent: this.#userAgent,
      checkUrl: (url) => this.#checkUrl(url),
    });
  }

  /** The limits in force for a request with these overrides. */
  effectiveLimits(overrides?: Partial<SafeFetchLimits>): SafeFetchLimits {
    return tightenLimits(this.#limits, overrides);
  }

  #checkUrl(url: string | URL) {
    return checkUrl(url, { allowedPorts: this.#allowedPorts, deniedDomains: this.#deniedDomains });
  }

  /**
   * Fetches `url` (GET). Never throws for network, policy or limit problems: those come back as `{ ok: false }`
   * with a stable code. Non-2xx statuses are successful fetches (`ok: true`).
   */
  async fetch(url: string, opts: SafeFetchRequest = {}): Promise<FetchOutcome> {
    const limits = this.effectiveLimits(opts.limits);
    const startedAt = performance.now();
    const sinceStart = (): number => Math.round(performance.now() - startedAt);
    const total = new AbortController();
    const totalTimer = setTimeout(
      () => total.abort(new FetchFailure('TIMEOUT', `fetch took longer than ${limits.totalTimeoutMs} ms`)),
      limits.totalTimeoutMs,
    );
    const onCallerAbort = (): void =>
      total.abort(new FetchFailure('NETWORK_ERROR', 'fetch aborted by the caller'));
    if (opts.signal?.aborted) onCallerAbort();
    opts.signal?.addEventListener('abort', onCallerAbort, { once: true });

    const ctx: HopContext = {
      policy: this.#policy,
      resolve: this.#resolve,
      limits,
      userAgent: this.#userAgent,
      budget: { wireBytes: 0, decodedBytes: 0 },
      signal: total.signal,
      sinceStart,
      rateLimiter: opts.rateLimiter ?? this.#rateLimiter,
      pools: this.#pools,
      conditional: opts.conditional,
    };
    const state: RedirectState = { currentUrl: url, redirects: [] };
    let headersMs = 0;
    try {
      const hop = await followRedirects(state, ctx, (u) => this.#checkUrl(u));
      headersMs = hop.headersMs;
      if (opts.render === true && hop.status !== 304) {
        // The document was fetched (and its redirects followed) by the guarded path; Chromium gets it from there.
        const documentWireBytes = ctx.budget.wireBytes;
        const rendered = await this.#renderer.render(state.currentUrl, hop, ctx);
        if (!rendered.ok) throw rendered.failure;
        return {
          ...this.#success(
            state,
            { ...hop, headers: rendered.headers, body: rendered.body },
            rendered.finalUrl,
            sinceStart(),
            ctx.budget.wireBytes,
          ),
          subresourceWireBytes: ctx.budget.wireBytes - documentWireBytes,
        };
      }
      return this.#success(state, hop, state.currentUrl, sinceStart(), ctx.budget.wireBytes);
    } catch (error) {
      return refusal(
        state.currentUrl,
        toFetchFailure(error),
        { headersMs, totalMs: sinceStart() },
        state.redirects,
        ctx.budget.wireBytes,
      );
    } finally {
      clearTimeout(totalTimer);
      opts.signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  #success(
    state: RedirectState,
    hop: HopResult,
    finalUrl: string,
    totalMs: number,
    wireBytes: number,
  ): FetchSuccess {
    return {
      ok: true,
      status: hop.status,
      finalUrl,
      headers: hop.headers,
      body: hop.body,
      timings: { headersMs: hop.headersMs, totalMs },
      redirects: state.redirects,
      remoteAddress: hop.remoteAddress,
      wireBytes,
    };
  }

  /**
   * Closes the browser if one was started and the kept-alive connections. The fetcher stays usable (a later fetch
   * connects again, a later render starts a new browser).
   */
  async close(): Promise<void> {
    await Promise.all([this.#renderer.close(), this.#pools.close()]);
  }
}
