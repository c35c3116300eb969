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
 * A token bucket over bytes that may go into debt. The node cannot slow a body down while the fetcher reads it,
 * so it debits each fetch's bytes after the fact and waits (and pauses its gateway) until the debt is repaid:
 * over any long window the average rate stays at or under `bytesPerSecond`.
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
