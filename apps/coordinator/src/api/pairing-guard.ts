import { RateLimiterMemory } from '@gleaner/queue';
import { RetryLaterError } from './error-handler.js';

/** Limits of the {@link PairingGuard}, per client address. */
export interface PairingGuardLimits {
  /** Wrong codes (user, device or invite codes) one address may send per window before it gets 429. Default 10. */
  maxWrongCodes?: number;
  /** Pairings one address may start per window. Default 30. */
  maxStarts?: number;
  /** The window of both limits, ms. Default 600,000 (10 minutes). */
  windowMs?: number;
}

const UNKNOWN_ADDRESS = 'unknown';

/**
 * What the pairing routes allow one address: a few wrong codes (a user code has about 39 bits, so a guesser gets
 * through one in tens of billions of windows), and a steady number of new pairings. An address over its wrong codes
 * is refused even a right one until its window ends, so guessing cannot continue between right answers. Counters
 * live in this process: each coordinator applies the limits itself (see docs/pairing.md).
 */
export class PairingGuard {
  private readonly maxWrongCodes: number;
  private readonly wrong: RateLimiterMemory;
  private readonly starts: RateLimiterMemory;

  constructor(limits: PairingGuardLimits = {}) {
    const duration = Math.max(1, Math.round((limits.windowMs ?? 600_000) / 1000));
    this.maxWrongCodes = limits.maxWrongCodes ?? 10;
    this.wrong = new RateLimiterMemory({ points: this.maxWrongCodes, duration });
    this.starts = new RateLimiterMemory({ points: limits.maxStarts ?? 30, duration });
  }

  /** Throws a 429 when `address` has sent too many wrong codes in this window. */
  async checkCodes(address: string | undefined): Promise<void> {
    const seen = await this.wrong.get(address ?? UNKNOWN_ADDRESS);
    if (seen && seen.consumedPoints >= this.maxWrongCodes) {
      throw new RetryLaterError(
        'RATE_LIMITED',
        'too many wrong codes from this address; wait before trying again',
        Math.max(1, Math.ceil(seen.msBeforeNext / 1000)),
      );
    }
  }

  /** Counts a wrong code sent from `address`. */
  async wrongCode(address: string | undefined): Promise<void> {
    await this.wrong.penalty(address ?? UNKNOWN_ADDRESS);
  }

  /** Counts a new pairing from `address`; throws a 429 past its allowance. */
  async start(address: string | undefined): Promise<void> {
    try {
      await this.starts.consume(address ?? UNKNOWN_ADDRESS);
    } catch (result) {
      if (result instanceof Error) throw result;
      throw new RetryLaterError(
        'RATE_LIMITED',
        'too many pairings started from this address; wait before trying again',
        Math.max(1, Math.ceil((result as { msBeforeNext: number }).msBeforeNext / 1000)),
      );
    }
  }
}
