/** How the client retries 429 and 5xx answers and network failures. */
export interface RetryOptions {
  /** Retries after the first attempt; default 6. */
  retries: number;
  /** Back-off before the first retry, ms; doubles each retry; default 500. */
  baseDelayMs: number;
  /** Longest back-off between two attempts, ms (a longer `Retry-After` is capped to it too); default 60,000. */
  maxDelayMs: number;
}

/** The default {@link RetryOptions}. */
export const DEFAULT_RETRY: RetryOptions = { retries: 6, baseDelayMs: 500, maxDelayMs: 60_000 };

/** Whether an HTTP status is worth retrying as it is: 408, 429 and the 5xx answers of a busy or restarting server. */
export function isRetryableStatus(status: number): boolean {
  return (
    status === 408 || status === 429 || status === 500 || status === 502 || status === 503 || status === 504
  );
}

/**
 * A `Retry-After` header as a delay in ms from `nowMs`: delta-seconds (`120`) or an HTTP date; `undefined` when
 * absent or unreadable. A date in the past is 0.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (!/[a-z]/i.test(trimmed) || Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/**
 * The wait before retry number `attempt` (0 for the first retry), ms. The server's `Retry-After` wins when given
 * (capped to `maxDelayMs`); otherwise exponential back-off with "equal jitter": half the doubled delay plus a random
 * share of the other half, so that many clients throttled at once do not come back at once.
 */
export function retryDelayMs(
  attempt: number,
  options: RetryOptions,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, options.maxDelayMs);
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
