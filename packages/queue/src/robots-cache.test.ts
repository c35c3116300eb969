import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedRedis, type EmbeddedRedis } from './embedded-redis.js';
import { openRedis } from './redis-connection.js';
import { RobotsCache } from './robots-cache.js';
import type { Redis } from 'ioredis';

describe('RobotsCache claims', () => {
  let dir: string;
  let server: EmbeddedRedis;
  let redis: Redis;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'robots-cache-'));
    server = await startEmbeddedRedis({ dataDir: dir });
    redis = openRedis(server.url);
  });
  afterAll(async () => {
    redis.disconnect();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const cache = () => new RobotsCache(redis, { prefix: `test-${randomUUID()}` });

  it('releases the claims of a campaign, and only while they are still its own', async () => {
    const robots = cache();
    expect(await robots.claimFetch('a.test', 'cmp_a')).toBe(true);
    expect(await robots.claimFetch('b.test', 'cmp_a')).toBe(true);
    expect(await robots.claimFetch('a.test', 'cmp_b')).toBe(false);
    // b.test's robots.txt arrived, and another campaign claimed the host's next fetch.
    await robots.set('b.test', { status: 200, text: '', fetchedAt: Date.now() }, 1);
    await new Promise((r) => setTimeout(r, 5));
    expect(await robots.claimFetch('b.test', 'cmp_c')).toBe(true);

    expect(await robots.releaseClaims('cmp_a')).toEqual(['a.test']);
    expect(await robots.claimFetch('a.test', 'cmp_b')).toBe(true);
    expect(await robots.claimFetch('b.test', 'cmp_b')).toBe(false);
    expect(await robots.releaseClaims('cmp_a')).toEqual([]);
  });
});
