import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedRedis, type EmbeddedRedis } from './embedded-redis.js';
import { backoffFor, PolitenessSlots } from './politeness-slots.js';
import { openRedis, type Redis } from './redis-connection.js';

describe('PolitenessSlots', () => {
  let dir: string;
  let server: EmbeddedRedis;
  let redis: Redis;
  const pace = { minIntervalMs: 1000, maxInFlight: 2 };
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'slots-'));
    server = await startEmbeddedRedis({ dataDir: dir });
    redis = openRedis(server.url);
  });
  afterAll(async () => {
    redis.disconnect();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });
  const slots = () => new PolitenessSlots(redis, { prefix: `test-${randomUUID()}` });

  it('spaces request starts by the minimum interval', async () => {
    const s = slots();
    expect(await s.acquire('a.test', 'j1', pace, 10_000)).toEqual({ granted: true });
    expect(await s.acquire('a.test', 'j2', pace, 10_400)).toEqual({ granted: false, waitMs: 600 });
    expect(await s.acquire('a.test', 'j2', pace, 11_000)).toEqual({ granted: true });
    expect(await s.acquire('b.test', 'j3', pace, 11_000)).toEqual({ granted: true });
  });

  it('caps requests in flight, and frees a slot on release or when its lease expires', async () => {
    const s = new PolitenessSlots(redis, { prefix: `test-${randomUUID()}`, leaseMs: 60_000 });
    const fast = { minIntervalMs: 0, maxInFlight: 2 };
    expect((await s.acquire('h', 'a', fast, 1000)).granted).toBe(true);
    expect((await s.acquire('h', 'b', fast, 1001)).granted).toBe(true);
    expect((await s.acquire('h', 'c', fast, 1002)).granted).toBe(false);
    await s.release('h', 'a', { now: 1003 });
    expect((await s.acquire('h', 'c', fast, 1004)).granted).toBe(true);
    expect((await s.acquire('h', 'd', fast, 1005)).granted).toBe(false);
    expect((await s.acquire('h', 'd', fast, 70_000)).granted).toBe(true);
  });

  it('backs off on 429/503, doubling per strike, and honours Crawl-delay', async () => {
    const s = slots();
    await s.acquire('h', 'a', pace, 0);
    await s.release('h', 'a', { backoffMs: 5000, now: 100 });
    expect(await s.acquire('h', 'b', pace, 2000)).toEqual({ granted: false, waitMs: 3100 });
    await s.acquire('h', 'b', pace, 5100);
    await s.release('h', 'b', { backoffMs: 5000, now: 5200 });
    expect(await s.acquire('h', 'c', pace, 5300)).toEqual({ granted: false, waitMs: 9900 });
    await s.setCrawlDelay('h', 60_000);
    expect(await s.acquire('h', 'c', pace, 20_000)).toEqual({ granted: false, waitMs: 15_100 });
    expect(await s.acquire('h', 'c', pace, 40_000)).toEqual({ granted: true });
    await s.release('h', 'c', { now: 40_100 });
    expect(await s.acquire('h', 'd', pace, 41_000)).toEqual({ granted: false, waitMs: 29_000 });
  });

  it("caps one claimant's back-off until a different claimant confirms it", async () => {
    const s = slots();
    const hour = 3_600_000;
    await s.acquire('h', 'a', pace, 0);
    await s.release('h', 'a', { backoffMs: hour, claimant: 'owner-1', now: 100 });
    // One owner's Retry-After: 3600 closes the host for two minutes, not an hour.
    expect(await s.acquire('h', 'b', pace, 1000)).toEqual({ granted: false, waitMs: 119_100 });
    expect((await s.acquire('h', 'b', pace, 120_100)).granted).toBe(true);
    await s.release('h', 'b', { backoffMs: hour, claimant: 'owner-1', now: 120_200 });
    expect((await s.acquire('h', 'c', pace, 240_200)).granted).toBe(true);
    // A second owner says the same: now the host waits the hour.
    await s.release('h', 'c', { backoffMs: hour, claimant: 'owner-2', now: 240_300 });
    expect(await s.acquire('h', 'd', pace, 250_000)).toEqual({ granted: false, waitMs: hour - 9_700 });
  });

  it('plans a host’s new jobs after those already planned', async () => {
    const s = slots();
    expect(await s.schedule('big', 3, 1000, 0)).toEqual([0, 1000, 2000]);
    expect(await s.schedule('big', 2, 1000, 500)).toEqual([2500, 3500]);
    expect(await s.schedule('small', 1, 1000, 500)).toEqual([0]);
  });

  it('reads Retry-After in seconds or as a date', () => {
    expect(backoffFor(200, '10', 1000)).toBe(0);
    expect(backoffFor(429, '120', 1000)).toBe(120_000);
    expect(backoffFor(503, undefined, 1000)).toBe(5000);
    expect(backoffFor(503, new Date(60_000).toUTCString(), 1000, 0)).toBe(60_000);
  });
});
