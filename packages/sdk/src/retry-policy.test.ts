import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, isRetryableStatus, parseRetryAfter, retryDelayMs } from './retry-policy.js';

describe('retry policy', () => {
  it('retries 408, 429 and the 5xx of a busy server, not client errors nor 501', () => {
    expect([408, 429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 409, 416, 501, 505].some(isRetryableStatus)).toBe(false);
  });

  it('reads Retry-After as seconds or as an HTTP date, and ignores what it cannot read', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('1.5', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

  it("waits the server's Retry-After, capped, else doubles with equal jitter up to the cap", () => {
    const options = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(retryDelayMs(0, options, 700)).toBe(700);
    expect(retryDelayMs(0, options, 5000)).toBe(1000);
    expect(retryDelayMs(0, options, undefined, () => 0)).toBe(50);
    expect(retryDelayMs(0, options, undefined, () => 1)).toBe(100);
    expect(retryDelayMs(3, options, undefined, () => 0)).toBe(400);
    expect(retryDelayMs(3, options, undefined, () => 0.5)).toBe(600);
    expect(retryDelayMs(10, options, undefined, () => 1)).toBe(1000);
  });
});
