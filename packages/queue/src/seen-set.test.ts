import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmbeddedRedis, type EmbeddedRedis } from './embedded-redis.js';
import { openRedis } from './redis-connection.js';
import { bloomBitPositions, bloomParameters, SeenSet, type SeenVerdict } from './seen-set.js';

const randomHash = (): string => randomBytes(16).toString('hex');
const hashes = (n: number): string[] => Array.from({ length: n }, randomHash);
const count = (verdicts: SeenVerdict[], verdict: SeenVerdict): number =>
  verdicts.filter((v) => v === verdict).length;

let server: EmbeddedRedis;
let dataDir: string;
let handles: Redis[] = [];
let prefix: string;

function connect(): Redis {
  const redis = openRedis(server.url);
  handles.push(redis);
  return redis;
}

async function admitInBatches(seen: SeenSet, id: string, all: string[], maxPages: number, size = 5000) {
  const out: SeenVerdict[] = [];
  for (let i = 0; i < all.length; i += size)
    out.push(...(await seen.admit(id, all.slice(i, i + size), maxPages)));
  return out;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'seen-set-'));
  server = await startEmbeddedRedis({ dataDir });
});

afterAll(async () => {
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
});

afterEach(async () => {
  await Promise.all(handles.map((h) => h.quit()));
  handles = [];
});

describe('bloomParameters', () => {
  it('sizes the default filter at about 120 MB and 13 hashes', () => {
    const p = bloomParameters(50_000_000, 1e-4);
    expect(p.hashes).toBe(13);
    expect(p.bytes / 1e6).toBeCloseTo(119.8, 1);
    expect(p.falsePositiveRate).toBeLessThan(1.01e-4);
  });

  it('refuses a filter Redis cannot hold', () => {
    expect(() => bloomParameters(1e9, 1e-6)).toThrow(RangeError);
    expect(() => bloomParameters(0, 0.01)).toThrow(RangeError);
  });

  it('spreads positions over the whole filter', () => {
    // h1 = 0xa from hex digits 1-13, h2 = 3 from hex digits 17-29.
    const positions = bloomBitPositions('000000000000afff0000000000003fff', 1000, 5);
    expect(positions).toEqual([10, 13, 16, 20, 26]);
    for (const p of bloomBitPositions(randomHash(), 4_000_000_007, 13)) expect(p).toBeLessThan(4_000_000_007);
  });
});

describe('SeenSet', () => {
  beforeEach(() => {
    prefix = `test-${randomUUID()}`;
  });

  const id = (): string => randomUUID();

  it('answers new, then seen, in exact mode, and within one batch', async () => {
    const seen = new SeenSet(connect(), prefix);
    const campaign = id();
    const [a, b] = hashes(2) as [string, string];
    expect(await seen.admit(campaign, [a, b, a], 10)).toEqual(['new', 'new', 'seen']);
    expect(await seen.admit(campaign, [b], 10)).toEqual(['seen']);
    expect(await seen.size(campaign)).toBe(2);
    expect(await seen.admit(campaign, [], 10)).toEqual([]);
  });

  it('rejects hashes of another shape', async () => {
    const seen = new SeenSet(connect(), prefix);
    await expect(seen.admit(id(), ['not-a-hash'], 10)).rejects.toThrow(RangeError);
    await expect(seen.admit(id(), [randomHash().toUpperCase()], 10)).rejects.toThrow(RangeError);
  });

  it('keeps answering seen for everything admitted before and after the crossover', async () => {
    const seen = new SeenSet(connect(), prefix, {
      exactThreshold: 100,
      bloomCapacity: 10_000,
      migrateBatch: 7,
    });
    const campaign = id();
    const all = hashes(250);
    const verdicts: SeenVerdict[] = [];
    for (let i = 0; i < all.length; i += 30) {
      verdicts.push(...(await seen.admit(campaign, all.slice(i, i + 30), 1000)));
      // Everything admitted so far, on both sides of the crossover, must read as seen at every step.
      expect(count(await seen.admit(campaign, all.slice(0, i + 30), 1000), 'seen')).toBe(
        Math.min(i + 30, 250),
      );
    }
    expect(verdicts).toEqual(all.map(() => 'new'));
    expect(await seen.size(campaign)).toBe(250);
    // Repeated calls finished the migration: the exact set is gone, the filter holds everything.
    for (let i = 0; i < 20; i++) await seen.admit(campaign, all.slice(0, 1), 1000);
    const redis = connect();
    expect(await redis.exists(`${prefix}:seen:{${campaign}}`)).toBe(0);
    expect(await seen.admit(campaign, all, 1000)).toEqual(all.map(() => 'seen'));
  });

  it('sets exactly the bits bloomBitPositions names', async () => {
    const redis = connect();
    const seen = new SeenSet(redis, prefix, {
      exactThreshold: 0,
      bloomCapacity: 1000,
      bloomFalsePositiveRate: 0.01,
    });
    const campaign = id();
    const hash = randomHash();
    expect(await seen.admit(campaign, [hash], 10)).toEqual(['new']);
    const { bits, hashes: k } = bloomParameters(1000, 0.01);
    const positions = new Set(bloomBitPositions(hash, bits, k));
    const key = `${prefix}:seen:{${campaign}}:bloom`;
    for (const p of positions) expect(await redis.getbit(key, p)).toBe(1);
    expect(await redis.bitcount(key)).toBe(positions.size);
  });

  it('keeps using the stored filter shape when built with other options', async () => {
    const campaign = id();
    const all = hashes(300);
    const first = new SeenSet(connect(), prefix, {
      exactThreshold: 10,
      bloomCapacity: 1000,
      migrateBatch: 1000,
    });
    await first.admit(campaign, all, 1000);
    const second = new SeenSet(connect(), prefix, { exactThreshold: 50, bloomCapacity: 5_000_000 });
    expect(await second.admit(campaign, all, 1000)).toEqual(all.map(() => 'seen'));
  });

  it.each([
    ['exact', 1_000_000],
    ['bloom', 20],
  ])('stops at maxPages in %s mode, and still says seen for members', async (_, exactThreshold) => {
    const seen = new SeenSet(connect(), prefix, { exactThreshold, bloomCapacity: 100_000 });
    const campaign = id();
    const all = hashes(150);
    const verdicts = await seen.admit(campaign, all, 100);
    expect(verdicts.slice(0, 100)).toEqual(Array(100).fill('new'));
    expect(verdicts.slice(100)).toEqual(Array(50).fill('limit'));
    expect(await seen.admit(campaign, [all[0] as string, all[120] as string], 100)).toEqual([
      'seen',
      'limit',
    ]);
    expect(await seen.size(campaign)).toBe(100);
    expect(await seen.admit(campaign, [all[120] as string], 101)).toEqual(['new']);
  });

  it('admits each hash exactly once across two connections, through the crossover', async () => {
    const options = {
      exactThreshold: 5000,
      bloomCapacity: 1_000_000,
      bloomFalsePositiveRate: 1e-6,
      migrateBatch: 500,
    };
    const seenA = new SeenSet(connect(), prefix, options);
    const seenB = new SeenSet(connect(), prefix, options);
    const campaign = id();
    const pool = hashes(15_000);
    const batches = Array.from({ length: 40 }, () =>
      Array.from({ length: 1000 }, () => pool[Math.floor(Math.random() * pool.length)] as string),
    );
    const results = await Promise.all(
      batches.map((batch, i) => (i % 2 === 0 ? seenA : seenB).admit(campaign, batch, 1_000_000)),
    );
    const newCount = new Map<string, number>();
    results.forEach((verdicts, i) =>
      verdicts.forEach((v, j) => {
        const hash = (batches[i] as string[])[j] as string;
        newCount.set(hash, (newCount.get(hash) ?? 0) + (v === 'new' ? 1 : 0));
      }),
    );
    expect([...newCount.values()].every((n) => n === 1)).toBe(true);
    expect(await seenA.size(campaign)).toBe(newCount.size);
    expect(newCount.size).toBeGreaterThan(options.exactThreshold);
  });

  it('never overshoots maxPages under concurrency', async () => {
    const seenA = new SeenSet(connect(), prefix, { exactThreshold: 300 });
    const seenB = new SeenSet(connect(), prefix, { exactThreshold: 300 });
    const campaign = id();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? seenA : seenB).admit(campaign, hashes(100), 1000)),
    );
    expect(count(results.flat(), 'new')).toBe(1000);
    expect(count(results.flat(), 'limit')).toBe(1000);
    expect(await seenA.size(campaign)).toBe(1000);
  });

  it('reads a seen-set written before the counter existed', async () => {
    const redis = connect();
    const campaign = id();
    const old = hashes(5);
    await redis.sadd(`${prefix}:seen:{${campaign}}`, ...old);
    const seen = new SeenSet(redis, prefix);
    expect(await seen.size(campaign)).toBe(5);
    const fresh = hashes(3);
    expect(await seen.admit(campaign, [...old, ...fresh], 7)).toEqual([
      ...Array(5).fill('seen'),
      'new',
      'new',
      'limit',
    ]);
    expect(await seen.size(campaign)).toBe(7);
  });

  it('drops every key of a campaign', async () => {
    const redis = connect();
    const seen = new SeenSet(redis, prefix, { exactThreshold: 5, bloomCapacity: 1000 });
    const campaign = id();
    const all = hashes(20);
    await seen.admit(campaign, all, 100);
    await seen.drop(campaign);
    expect(await redis.keys(`${prefix}:*`)).toEqual([]);
    expect(await seen.size(campaign)).toBe(0);
    expect(count(await seen.admit(campaign, all, 100), 'new')).toBe(20);
  });

  it('has a measured false-positive rate within 2× of the design rate', async () => {
    const capacity = 100_000;
    const rate = 1e-3;
    const seen = new SeenSet(connect(), prefix, {
      exactThreshold: 1000,
      bloomCapacity: capacity,
      bloomFalsePositiveRate: rate,
    });
    const campaign = id();
    const filled = await admitInBatches(seen, campaign, hashes(capacity), capacity);
    const members = await seen.size(campaign);
    expect(members).toBe(count(filled, 'new'));
    expect(members).toBeGreaterThan(capacity * 0.99);
    // With maxPages reached nothing more is inserted: a fresh hash answers `seen` only on a false positive.
    const probe = await admitInBatches(seen, campaign, hashes(100_000), members);
    const measured = count(probe, 'seen') / probe.length;
    expect(count(probe, 'seen') + count(probe, 'limit')).toBe(probe.length);
    expect(measured).toBeGreaterThan(rate / 2);
    expect(measured).toBeLessThan(rate * 2);
  });
});
