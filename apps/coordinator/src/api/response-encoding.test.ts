import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeBody, negotiateCoding } from './response-encoding.js';

const hasZstd = 'zstdCompress' in (await import('node:zlib'));

describe('negotiateCoding', () => {
  it('answers identity without a header or an acceptable coding', () => {
    expect(negotiateCoding(undefined)).toBe('identity');
    expect(negotiateCoding('')).toBe('identity');
    expect(negotiateCoding('br, deflate')).toBe('identity');
    expect(negotiateCoding('gzip;q=0')).toBe('identity');
  });

  it('takes the highest weight, zstd before gzip on a tie only where the runtime has zstd', () => {
    expect(negotiateCoding('gzip')).toBe('gzip');
    expect(negotiateCoding('GZIP ; q=0.5, identity;q=0.4')).toBe('gzip');
    expect(negotiateCoding('gzip;q=0.2, identity;q=0.9')).toBe('identity');
    expect(negotiateCoding('*')).toBe(hasZstd ? 'zstd' : 'gzip');
    expect(negotiateCoding('zstd, gzip')).toBe(hasZstd ? 'zstd' : 'gzip');
    expect(negotiateCoding('zstd')).toBe(hasZstd ? 'zstd' : 'identity');
  });
});

describe('encodeBody', () => {
  it('gzips, and leaves identity bodies as they are', async () => {
    const body = Buffer.from('{"a":1}\n'.repeat(100));
    expect(gunzipSync(await encodeBody(body, 'gzip')).equals(body)).toBe(true);
    expect(await encodeBody(body, 'identity')).toBe(body);
  });
});
