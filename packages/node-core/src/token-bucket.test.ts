import { afterEach, describe, expect, it, vi } from 'vitest';
import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  it('starts full, goes into debt, and refills at its rate', () => {
    let now = 0;
    const bucket = new TokenBucket({ bytesPerSecond: 1000, now: () => now });
    expect(bucket.waitMs()).toBe(0);
    bucket.take(3000);
    expect(bucket.tokens).toBe(-2000);
    expect(bucket.waitMs()).toBe(2000);
    now = 1500;
    expect(bucket.waitMs()).toBe(500);
    now = 10_000;
    expect(bucket.tokens).toBe(1000); // never more than the burst
  });

  it('keeps the average within 10% of the cap when jobs start only out of debt', () => {
    // Simulates the node: a job starts only when out of debt; pages of 50-150 KiB; cap 200 KiB/s; 20 s.
    let now = 0;
    const cap = 200 * 1024;
    const bucket = new TokenBucket({ bytesPerSecond: cap, now: () => now });
    let total = 0;
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    while (now < 20_000) {
      const wait = bucket.waitMs();
      if (wait > 0) now += wait;
      const bytes = Math.round((50 + random() * 100) * 1024);
      bucket.take(bytes);
      total += bytes;
      now += 10;
    }
    const rate = total / (now / 1000);
    expect(rate).toBeLessThanOrEqual(cap * 1.1);
    expect(rate).toBeGreaterThan(cap * 0.9);
  });

  it('applies a new rate at once', () => {
    const now = 0;
    const bucket = new TokenBucket({ bytesPerSecond: 1000, now: () => now });
    bucket.take(2000);
    bucket.setRate(500);
    expect(bucket.tokens).toBe(-1000);
    expect(bucket.waitMs()).toBe(2000);
  });

  describe('pace', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('lets readers on in the order they read, each once the debt including its bytes is repaid', async () => {
      vi.useFakeTimers();
      const bucket = new TokenBucket({ bytesPerSecond: 1000, burstBytes: 0, now: () => Date.now() });
      const done: string[] = [];
      void bucket.pace(500).then(() => done.push('a'));
      void bucket.pace(500).then(() => done.push('b'));
      await vi.advanceTimersByTimeAsync(499);
      expect(done).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(done).toEqual(['a']);
      await vi.advanceTimersByTimeAsync(500);
      expect(done).toEqual(['a', 'b']);
    });

    it('resolves at once within the burst, and rejects with the reason when aborted', async () => {
      vi.useFakeTimers();
      const bucket = new TokenBucket({ bytesPerSecond: 1000, now: () => Date.now() });
      await expect(bucket.asRateLimiter().take(1000)).resolves.toBeUndefined();
      const controller = new AbortController();
      const waiting = bucket.pace(1000, controller.signal);
      controller.abort(new Error('stop'));
      await expect(waiting).rejects.toThrow('stop');
    });
  });
});
