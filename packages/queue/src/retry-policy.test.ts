import { describe, expect, it } from 'vitest';
import { RetryableError } from '@gleaner/core';
import { errorClassBackoff, MAX_RETRY_DELAY_MS, retryDelayMs } from './retry-policy.js';

const middle = () => 0.5;

describe('retryDelayMs', () => {
  it('waits by error class and doubles per attempt', () => {
    expect(retryDelayMs('DNS_FAILURE', 1, middle)).toBe(30_000);
    expect(retryDelayMs('DNS_FAILURE', 2, middle)).toBe(60_000);
    expect(retryDelayMs('CONNECT_FAILED', 1, middle)).toBe(10_000);
    expect(retryDelayMs('TIMEOUT', 3, middle)).toBe(60_000);
    expect(retryDelayMs('HTTP_ERROR', 1, middle)).toBe(5_000);
    expect(retryDelayMs('NODE_DISCONNECTED', 1, middle)).toBe(500);
    expect(retryDelayMs('SOMETHING_NEW', 1, middle)).toBe(2_000);
    expect(retryDelayMs(undefined, 2, middle)).toBe(4_000);
  });

  it('caps the delay and spreads it by ±20 %', () => {
    expect(retryDelayMs('DNS_FAILURE', 20, middle)).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelayMs('HTTP_ERROR', 1, () => 0)).toBe(4_000);
    expect(retryDelayMs('HTTP_ERROR', 1, () => 1)).toBe(6_000);
  });

  it('reads the code of the error BullMQ hands its back-off hook, scaled', () => {
    const delay = errorClassBackoff(0.1)(
      1,
      'by-error-class',
      new RetryableError('DNS_FAILURE', 'no such host'),
    );
    expect(delay).toBeGreaterThanOrEqual(2_400);
    expect(delay).toBeLessThanOrEqual(3_600);
  });
});
