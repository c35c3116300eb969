import { describe, expect, it } from 'vitest';
import { createDecoders } from './body-reader.js';
import { FetchFailure, toFetchFailure } from './fetch-failure.js';
import {
  DEFAULT_SAFE_FETCH_LIMITS,
  isAllowedContentType,
  resolveLimits,
  tightenLimits,
} from './safe-fetch-limits.js';

describe('limits', () => {
  it('documents its defaults', () => {
    expect(DEFAULT_SAFE_FETCH_LIMITS).toMatchObject({
      maxBodyBytes: 5 * 1024 * 1024,
      maxDecodedBytes: 20 * 1024 * 1024,
      maxCompressionRatio: 100,
      headersTimeoutMs: 15_000,
      totalTimeoutMs: 30_000,
      minBytesPerSecond: 1024,
      rateGraceMs: 5_000,
      maxHeaderBytes: 64 * 1024,
      maxRedirects: 5,
    });
  });

  it('lets the owner loosen defaults but requests only tighten', () => {
    const owner = resolveLimits({ maxBodyBytes: 50_000_000 });
    expect(owner.maxBodyBytes).toBe(50_000_000);
    const request = tightenLimits(owner, {
      maxBodyBytes: 1_000,
      maxRedirects: 99,
      minBytesPerSecond: 10,
      rateGraceMs: 60_000,
      headersTimeoutMs: Number.NaN,
      totalTimeoutMs: -1,
    });
    expect(request.maxBodyBytes).toBe(1_000);
    expect(request.maxRedirects).toBe(5);
    expect(request.minBytesPerSecond).toBe(1024);
    expect(request.rateGraceMs).toBe(5_000);
    expect(request.headersTimeoutMs).toBe(15_000);
    expect(request.totalTimeoutMs).toBe(30_000);
    expect(
      tightenLimits(owner, { allowedContentTypes: ['image/png', 'TEXT/HTML'] }).allowedContentTypes,
    ).toEqual(['text/html']);
  });

  it('matches content types by prefix on the media type only', () => {
    const allowed = DEFAULT_SAFE_FETCH_LIMITS.allowedContentTypes;
    expect(isAllowedContentType('text/html; charset=utf-8', allowed)).toBe(true);
    expect(isAllowedContentType('TEXT/HTML', allowed)).toBe(true);
    expect(isAllowedContentType(undefined, allowed)).toBe(true);
    expect(isAllowedContentType('application/octet-stream', allowed)).toBe(false);
    expect(isAllowedContentType('image/svg+xml', allowed)).toBe(false);
    expect(isAllowedContentType('foo; text/html', allowed)).toBe(false);
  });
});

describe('decoders and error mapping', () => {
  it('builds decoders for known codings and refuses zstd and unknown ones', () => {
    expect(createDecoders(undefined)).toHaveLength(0);
    expect(createDecoders('identity')).toHaveLength(0);
    expect(createDecoders('gzip')).toHaveLength(1);
    expect(createDecoders('deflate, br')).toHaveLength(2);
    for (const coding of ['zstd', 'compress', 'gzip, gzip, gzip']) {
      expect(() => createDecoders(coding)).toThrow(FetchFailure);
    }
  });

  it('maps low-level errors to stable codes', () => {
    const err = (code: string) => Object.assign(new Error(code), { code });
    expect(toFetchFailure(err('UND_ERR_HEADERS_OVERFLOW')).code).toBe('HEADERS_TOO_LARGE');
    expect(toFetchFailure(err('ECONNREFUSED')).code).toBe('CONNECT_FAILED');
    expect(toFetchFailure(err('ENOTFOUND')).code).toBe('DNS_FAILURE');
    expect(toFetchFailure(err('DEPTH_ZERO_SELF_SIGNED_CERT')).code).toBe('TLS_FAILURE');
    expect(toFetchFailure(err('ERR_TLS_CERT_ALTNAME_INVALID')).code).toBe('TLS_FAILURE');
    expect(toFetchFailure(err('Z_DATA_ERROR')).code).toBe('DECOMPRESSION_FAILED');
    expect(toFetchFailure(err('ECONNRESET')).code).toBe('NETWORK_ERROR');
    expect(toFetchFailure('weird').code).toBe('NETWORK_ERROR');
    const inner = new FetchFailure('TOO_SLOW', 'slow');
    expect(toFetchFailure(new Error('wrapped', { cause: inner }))).toBe(inner);
  });
});
