/** How one class of fetch failure is retried: the first delay, doubled at each further attempt. */
interface RetryClass {
  firstDelayMs: number;
}

/**
 * Retry delays by error class. A name that did not resolve rarely resolves a second later; a refused connection or a
 * timeout means a struggling host, to be left alone for a while; a 5xx is often brief; a failure of the node itself
 * (it vanished, signed badly) says nothing about the site, so another node may try at once.
 */
export const RETRY_CLASSES: Readonly<Record<string, RetryClass>> = Object.freeze({
  DNS_FAILURE: { firstDelayMs: 30_000 },
  CONNECT_FAILED: { firstDelayMs: 10_000 },
  TLS_FAILURE: { firstDelayMs: 10_000 },
  NETWORK_ERROR: { firstDelayMs: 10_000 },
  TIMEOUT: { firstDelayMs: 15_000 },
  TOO_SLOW: { firstDelayMs: 15_000 },
  HTTP_ERROR: { firstDelayMs: 5_000 },
  NODE_DISCONNECTED: { firstDelayMs: 500 },
  NODE_TIMEOUT: { firstDelayMs: 500 },
  BAD_SIGNATURE: { firstDelayMs: 500 },
  BODY_HASH_MISMATCH: { firstDelayMs: 500 },
});

/** Delay of an error code not listed in {@link RETRY_CLASSES}, before doubling, ms. */
export const DEFAULT_RETRY_DELAY_MS = 2_000;

/** Longest retry delay, ms: 10 minutes. */
export const MAX_RETRY_DELAY_MS = 600_000;

/** Name of the BullMQ back-off type that applies {@link retryDelayMs}. */
export const ERROR_CLASS_BACKOFF = 'by-error-class';

/**
 * Delay before the next attempt of a fetch that failed with `code` on attempt `attemptsMade` (1 for the first
 * failure): the class's first delay doubled per further attempt, capped at {@link MAX_RETRY_DELAY_MS}, with ±20 %
 * jitter so jobs that failed together do not return together. `random` is injectable for tests.
 */
export function retryDelayMs(code: string | undefined, attemptsMade: number, random = Math.random): number {
  const first =
    (code !== undefined ? RETRY_CLASSES[code]?.firstDelayMs : undefined) ?? DEFAULT_RETRY_DELAY_MS;
  const base = Math.min(MAX_RETRY_DELAY_MS, first * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * BullMQ's `backoffStrategy` hook: reads the error's `code` (a GleanerError's) and applies {@link retryDelayMs},
 * multiplied by `scale` (default 1; test systems shorten the waits).
 */
export function errorClassBackoff(scale = 1) {
  return (attemptsMade: number, _type?: string, error?: Error): number => {
    const code = (error as { code?: unknown } | undefined)?.code;
    return Math.round(scale * retryDelayMs(typeof code === 'string' ? code : undefined, attemptsMade));
  };
}
