import { SafeFetcher, type RateLimiter, type Resolver, type SafeFetchLimits } from '@gleaner/fetcher';
import type { FetchJobSpec } from '@gleaner/contracts';

/** The fetcher settings an owner chooses, shared by the running node and `gleaner-node fetch`. */
export interface NodeFetcherSettings {
  /** TESTS AND DEMOS ONLY: let fetches reach private and loopback addresses. Default false. */
  allowPrivateNetwork?: boolean;
  /**
   * TESTS ONLY: these exact addresses are reachable although private (the hostile fixture's own address, while the
   * guard stays on for every other one). Never set from the CLI or a config file. Default none.
   */
  allowAddresses?: string[];
  /** TESTS ONLY: the name resolver (names that resolve into private space). Default the system's. */
  resolve?: Resolver;
  /** Ports allowed besides 80 and 443. Default none. */
  allowPorts?: number[];
  /** Owner's domain deny-list (subdomains included). Default none. */
  deny?: string[];
  /** Chromium for rendering. Default the fetcher's (`/usr/bin/chromium`). */
  chromiumPath?: string;
  /** The owner's fetch limits (the ceiling a job's limits cannot raise). Default the fetcher's defaults. */
  limits?: Partial<SafeFetchLimits>;
  /** Paces body bytes as they are read: the owner's bandwidth cap. Default none (line speed). */
  rateLimiter?: RateLimiter;
}

/**
 * Builds the one SafeFetcher configuration the node uses, so that a test fetch with `gleaner-node fetch` goes
 * through exactly the guard and limits a job would.
 */
export function createNodeFetcher(settings: NodeFetcherSettings): SafeFetcher {
  return new SafeFetcher({
    allowPrivateNetwork: settings.allowPrivateNetwork ?? false,
    allowedPorts: [80, 443, ...(settings.allowPorts ?? [])],
    ...(settings.allowAddresses === undefined ? {} : { allowAddresses: settings.allowAddresses }),
    ...(settings.resolve === undefined ? {} : { resolve: settings.resolve }),
    deniedDomains: settings.deny ?? [],
    ...(settings.chromiumPath === undefined ? {} : { chromiumPath: settings.chromiumPath }),
    ...(settings.limits === undefined ? {} : { limits: settings.limits }),
    ...(settings.rateLimiter === undefined ? {} : { rateLimiter: settings.rateLimiter }),
  });
}

/** The per-request limits of a job: the coordinator's, which the fetcher only lets tighten its own. */
export function jobLimits(job: FetchJobSpec, remainingQuotaBytes = Number.POSITIVE_INFINITY) {
  return {
    maxBodyBytes: Math.min(job.limits.maxBodyBytes, remainingQuotaBytes),
    totalTimeoutMs: job.limits.timeoutMs,
    maxRedirects: job.limits.maxRedirects,
    ...(Array.isArray(job.limits.allowedContentTypes)
      ? {
          allowedContentTypes: job.limits.allowedContentTypes
            .filter((t) => typeof t === 'string')
            .slice(0, 32),
        }
      : {}),
  };
}
