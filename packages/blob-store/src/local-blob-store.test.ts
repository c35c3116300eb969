import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlobNotFoundError, rawBodyKey } from './blob-store.js';
import { LocalBlobStore } from './local-blob-store.js';

describe('LocalBlobStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'blob-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('stores, reads, checks and deletes', async () => {
    const store = new LocalBlobStore(dir);
    const key = rawBodyKey('ab'.repeat(32));
    await store.put(key, Buffer.from('hello'));
    expect((await store.get(key)).toString()).toBe('hello');
    expect(await store.has(key)).toBe(true);
    await store.delete(key);
    expect(await store.has(key)).toBe(false);
    await expect(store.get(key)).rejects.toBeInstanceOf(BlobNotFoundError);
  });

  it('refuses keys that would leave its folder', async () => {
    const store = new LocalBlobStore(dir);
    await expect(store.put('../escape', Buffer.from('x'))).rejects.toThrow(/invalid blob key/);
    await expect(store.put('a/../../b', Buffer.from('x'))).rejects.toThrow(/invalid blob key/);
    await expect(store.put('/abs', Buffer.from('x'))).rejects.toThrow(/invalid blob key/);
  });
});
