/**
 * Paces the bytes a fetcher reads from its sockets. `take` is awaited for every piece of a response body as it
 * arrives (wire bytes, before decoding, sub-resources of rendered pages included): while it has not resolved the
 * fetcher reads no more from that socket, so TCP flow control slows the sender down to the limiter's rate.
 */
export interface RateLimiter {
  /**
   * Accounts for `bytes` just read and resolves when reading may go on. Rejects (with the signal's reason) if
   * `signal` aborts first.
   */
  take(bytes: number, signal?: AbortSignal): Promise<void>;
}
