import type { RateLimiter } from '@gleaner/fetcher';

/** Options of a {@link TokenBucket}. */
export interface TokenBucketOptions {
  /** Refill rate, bytes per second. */
  bytesPerSecond: number;
  /** Most tokens the bucket holds, bytes. Default one second's worth (`bytesPerSecond`). */
  burstBytes?: number;
  /** Clock in milliseconds. Default `performance.now`. */
  now?: () => number;
}

/**
 * A token bucket over bytes that may go into debt. The fetcher awaits {@link TokenBucket.pace} for each piece of a
 * body it reads (see {@link TokenBucket.asRateLimiter}), so a download is held to `bytesPerSecond` while it runs;
 * over any window the bytes read stay under `burstBytes + bytesPerSecond × seconds` (plus one piece per reader).
 */
export class TokenBucket {
  #rate: number;
  #burst: number;
  #tokens: number;
  #last: number;
  readonly #now: () => number;

  constructor(options: TokenBucketOptions) {
    this.#now = options.now ?? (() => performance.now());
    this.#rate = options.bytesPerSecond;
    this.#burst = options.burstBytes ?? options.bytesPerSecond;
    this.#tokens = this.#burst;
    this.#last = this.#now();
  }

  /** Changes the rate (and the burst, which follows the rate unless given). */
  setRate(bytesPerSecond: number, burstBytes = bytesPerSecond): void {
    this.#refill();
    this.#rate = bytesPerSecond;
    this.#burst = burstBytes;
    this.#tokens = Math.min(this.#tokens, this.#burst);
  }

  /** Tokens now, bytes; negative while in debt. */
  get tokens(): number {
    this.#refill();
    return this.#tokens;
  }

  /** Debits `bytes` (the bucket may go into debt). */
  take(bytes: number): void {
    this.#refill();
    this.#tokens -= bytes;
  }

  /**
   * Debits `bytes` and resolves once the bucket is out of debt again, so that readers sharing the bucket are served
   * in the order they read. Rejects with the signal's reason if `signal` aborts first.
   */
  pace(bytes: number, signal?: AbortSignal): Promise<void> {
    this.take(bytes);
    const waitMs = this.waitMs();
    if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
    if (waitMs === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason as Error);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, waitMs);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** This bucket as the fetcher's `rateLimiter` (its `take` is {@link TokenBucket.pace}). */
  asRateLimiter(): RateLimiter {
    return { take: (bytes, signal) => this.pace(bytes, signal) };
  }

  /** Milliseconds until the bucket is out of debt; 0 when it is not in debt. */
  waitMs(): number {
    const tokens = this.tokens;
    return tokens >= 0 ? 0 : Math.ceil((-tokens / this.#rate) * 1000);
  }

  #refill(): void {
    const now = this.#now();
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#last) / 1000) * this.#rate);
    this.#last = now;
  }
}
