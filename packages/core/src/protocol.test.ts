import { describe, expect, it } from 'vitest';
import { decodeResultFrame, encodeResultFrame } from './protocol.js';
import { authMessage, generateNodeKeyPair, resultMessage, signMessage, verifyMessage } from './signatures.js';
import { sha256Hex } from './hashing.js';
import { errorFromBody, NonRetryableError, RetryableError } from './errors.js';

describe('result frames', () => {
  it('round-trips header and body bytes', () => {
    const body = Buffer.from([0, 1, 2, 255]);
    const header = {
      type: 'result',
      jobId: 'j1',
      attempt: 1,
      redirects: [],
      finalUrl: 'http://a/',
      status: 200,
      headers: { 'content-type': 'text/html' },
      bodySha256: sha256Hex(body),
      bodyBytes: 4,
      fetchedAt: new Date(0).toISOString(),
      timings: { headersMs: 1, totalMs: 2 },
      signature: 'x',
    };
    const decoded = decodeResultFrame(encodeResultFrame(header, body));
    expect(decoded.header).toEqual(header);
    expect([...decoded.body]).toEqual([0, 1, 2, 255]);
  });

  it('rejects a frame whose header overruns it', () => {
    const frame = Buffer.alloc(8);
    frame.writeUInt32BE(100, 0);
    expect(() => decodeResultFrame(frame)).toThrow(/overruns/);
  });
});

describe('signatures', () => {
  it('verifies what the key signed and nothing else', () => {
    const keys = generateNodeKeyPair();
    const other = generateNodeKeyPair();
    const message = resultMessage({
      jobId: 'j',
      attempt: 1,
      redirects: ['http://a/old'],
      finalUrl: 'http://a/',
      status: 200,
      bodySha256: sha256Hex('x'),
    });
    const signature = signMessage(keys.privateKeyPem, message);
    expect(verifyMessage(keys.publicKeyPem, message, signature)).toBe(true);
    expect(verifyMessage(other.publicKeyPem, message, signature)).toBe(false);
    expect(verifyMessage(keys.publicKeyPem, authMessage('n', 'node'), signature)).toBe(false);
    expect(verifyMessage(keys.publicKeyPem, message, 'not-base64!')).toBe(false);
    const otherAttempt = resultMessage({
      jobId: 'j',
      attempt: 2,
      redirects: ['http://a/old'],
      finalUrl: 'http://a/',
      status: 200,
      bodySha256: sha256Hex('x'),
    });
    expect(verifyMessage(keys.publicKeyPem, otherAttempt, signature)).toBe(false);
  });
});

describe('errors', () => {
  it('rebuilds classes from wire codes', () => {
    expect(errorFromBody({ code: 'TIMEOUT', message: 'slow' })).toBeInstanceOf(RetryableError);
    expect(errorFromBody({ code: 'BLOCKED_ADDRESS', message: 'no' })).toBeInstanceOf(NonRetryableError);
  });
});
