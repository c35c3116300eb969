import { ERROR_TABLE, isErrorCode } from '@gleaner/core';

/** Delay of an error code without a `firstRetryDelayMs` in core's `ERROR_TABLE`, before doubling, ms. */
export const DEFAULT_RETRY_DELAY_MS = 2_000;

/** Longest retry delay, ms: 10 minutes. */
export const MAX_RETRY_DELAY_MS = 600_000;

/** Name of the BullMQ back-off type that applies {@link retryDelayMs}. */
export const ERROR_CLASS_BACKOFF = 'by-error-class';

/**
 * Delay before the next attempt of a fetch that failed with `code` on attempt `attemptsMade` (1 for the first
 * failure): the code's first retry delay doubled per further attempt, capped at {@link MAX_RETRY_DELAY_MS}, with ±20 %
 * jitter so jobs that failed together do not return together. `random` is injectable for tests.
 */
export function retryDelayMs(code: string | undefined, attemptsMade: number, random = Math.random): number {
  const info = code !== undefined && isErrorCode(code) ? ERROR_TABLE[code] : undefined;
  const first =
    (info && 'firstRetryDelayMs' in info ? info.firstRetryDelayMs : undefined) ?? DEFAULT_RETRY_DELAY_MS;
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
