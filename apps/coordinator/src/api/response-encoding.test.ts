import { execFileSync } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeBody, negotiateCoding } from './response-encoding.js';

describe('negotiateCoding', () => {
  it('answers identity without a header or an acceptable coding', () => {
    expect(negotiateCoding(undefined)).toBe('identity');
    expect(negotiateCoding('')).toBe('identity');
    expect(negotiateCoding('br, deflate')).toBe('identity');
    expect(negotiateCoding('gzip;q=0')).toBe('identity');
  });

  it('takes the highest weight, zstd before gzip on a tie', () => {
    expect(negotiateCoding('gzip')).toBe('gzip');
    expect(negotiateCoding('GZIP ; q=0.5, identity;q=0.4')).toBe('gzip');
    expect(negotiateCoding('gzip;q=0.2, identity;q=0.9')).toBe('identity');
    expect(negotiateCoding('*')).toBe('zstd');
    expect(negotiateCoding('zstd, gzip')).toBe('zstd');
    expect(negotiateCoding('zstd')).toBe('zstd');
  });
});

describe('encodeBody', () => {
  it('gzips, and leaves identity bodies as they are', async () => {
    const body = Buffer.from('{"a":1}\n'.repeat(100));
    expect(gunzipSync(await encodeBody(body, 'gzip')).equals(body)).toBe(true);
    expect(await encodeBody(body, 'identity')).toBe(body);
  });

  it('answers zstd frames that the zstd command (libzstd) decodes', async () => {
    const body = Buffer.from('{"id":"rec_1","text":"the of and to in"}\n'.repeat(5000));
    const frame = await encodeBody(body, 'zstd');
    expect(Buffer.from(frame.subarray(0, 4))).toEqual(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]));
    expect(frame.length).toBeLessThan(body.length / 20);
    expect(execFileSync('zstd', ['-d', '-c'], { input: frame }).equals(body)).toBe(true);
  });
});
