import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmbeddedRedis, type EmbeddedRedis } from './embedded-redis.js';
import { ParagraphCounter } from './paragraph-counter.js';
import { openRedis } from './redis-connection.js';

const h = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 16);
const RULE = { minPages: 5, minShare: 0.3 };
const NAV = h('home about contact');
const FOOTER = h('© 2024 example inc all rights reserved');

/** Page i of a site: a nav line, a footer and two lines of its own. */
const page = (site: string, i: number): string[] => [
  NAV,
  h(`${site} body ${i}`),
  h(`${site} more ${i}`),
  FOOTER,
];

let server: EmbeddedRedis;
let dataDir: string;
let handles: Redis[] = [];
let prefix: string;

function connect(): Redis {
  const redis = openRedis(server.url);
  handles.push(redis);
  return redis;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'paragraph-counter-'));
  server = await startEmbeddedRedis({ dataDir });
});

afterAll(async () => {
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
});

beforeEach(() => {
  prefix = `test-${randomUUID()}`;
});

afterEach(async () => {
  await Promise.all(handles.map((r) => r.quit()));
  handles = [];
});

describe('ParagraphCounter', () => {
  it('reports shared lines as frequent from the minPages-th page on, and a page’s own lines never', async () => {
    const counter = new ParagraphCounter(connect(), prefix);
    for (let i = 1; i <= 10; i++) {
      const { pages, frequent } = await counter.countPage('c1', 'a.example', page('a', i), RULE);
      expect(pages).toBe(i);
      expect(frequent).toEqual(i >= 5 ? [NAV, FOOTER] : []);
    }
    expect(await counter.stats('c1', 'a.example')).toEqual({ pages: 10, hashes: 22 });
  });

  it('keeps hosts and scopes apart', async () => {
    const counter = new ParagraphCounter(connect(), prefix);
    for (let i = 1; i <= 6; i++) await counter.countPage('c1', 'a.example', page('a', i), RULE);
    expect((await counter.countPage('c1', 'b.example', page('b', 1), RULE)).frequent).toEqual([]);
    expect((await counter.countPage('c2', 'a.example', page('a', 1), RULE)).frequent).toEqual([]);
    expect(await counter.stats('c1', 'b.example')).toEqual({ pages: 1, hashes: 4 });
  });

  it('needs the share as well as the page count', async () => {
    const counter = new ParagraphCounter(connect(), prefix);
    const rare = h('a line on every fourth page');
    let last: string[] = [];
    for (let i = 1; i <= 40; i++) {
      const hashes = i % 4 === 0 ? [rare, h(`x${i}`)] : [h(`x${i}`)];
      last = (await counter.countPage('c', 'h', hashes, RULE)).frequent;
    }
    // 10 pages of 40: enough pages, but a 25 % share.
    expect(last).toEqual([]);
    expect((await counter.countPage('c', 'h', [rare], { minPages: 5, minShare: 0.25 })).frequent).toEqual([
      rare,
    ]);
  });

  it('counts a page’s repeated lines once', async () => {
    const counter = new ParagraphCounter(connect(), prefix);
    for (let i = 1; i <= 4; i++) {
      expect((await counter.countPage('c', 'h', [NAV, NAV, NAV], RULE)).frequent).toEqual([]);
    }
    expect((await counter.countPage('c', 'h', [NAV], RULE)).frequent).toEqual([NAV]);
  });

  it('counts exactly when two connections process pages of one host at once', async () => {
    const one = new ParagraphCounter(connect(), prefix);
    const two = new ParagraphCounter(connect(), prefix);
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        (i % 2 === 0 ? one : two).countPage('c', 'h', page('a', i), RULE),
      ),
    );
    expect(await one.stats('c', 'h')).toEqual({ pages: 200, hashes: 2 + 400 });
    const raw = await connect().hmget(`${prefix}:paragraphs:{c:h}`, NAV, FOOTER);
    expect(raw).toEqual(['200:1', '200:1']);
  });

  it('holds the per-host cap and keeps the repeated lines through evictions', async () => {
    const counter = new ParagraphCounter(connect(), prefix, { maxHashesPerHost: 100 });
    expect(counter.maxHashesPerPage).toBe(50);
    let frequent: string[] = [];
    for (let i = 1; i <= 60; i++) {
      const own = Array.from({ length: 20 }, (_, j) => h(`page ${i} line ${j}`));
      frequent = (await counter.countPage('c', 'h', [NAV, ...own, FOOTER], RULE)).frequent;
      expect((await counter.stats('c', 'h')).hashes).toBeLessThanOrEqual(100);
    }
    expect(frequent).toEqual([NAV, FOOTER]);
    const raw = await connect().hmget(`${prefix}:paragraphs:{c:h}`, NAV, FOOTER);
    expect(raw).toEqual(['60:1', '60:1']);
  });

  it('lets a banner added late become frequent, measured from when it was first seen', async () => {
    const counter = new ParagraphCounter(connect(), prefix, { maxHashesPerHost: 40 });
    const banner = h('we use cookies');
    for (let i = 1; i <= 100; i++) await counter.countPage('c', 'h', page('a', i), RULE);
    const seen: boolean[] = [];
    for (let i = 101; i <= 106; i++) {
      const { frequent } = await counter.countPage('c', 'h', [banner, ...page('a', i)], RULE);
      seen.push(frequent.includes(banner));
    }
    expect(seen).toEqual([false, false, false, false, true, true]);
  });

  it('ignores hashes past half the table, refuses malformed ones and sets an expiry', async () => {
    const redis = connect();
    const counter = new ParagraphCounter(redis, prefix, { maxHashesPerHost: 10, ttlSeconds: 60 });
    const many = Array.from({ length: 8 }, (_, i) => h(`l${i}`));
    await counter.countPage('c', 'h', many, RULE);
    expect(await counter.stats('c', 'h')).toEqual({ pages: 1, hashes: 5 });
    const ttl = await redis.pttl(`${prefix}:paragraphs:{c:h}`);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    await expect(counter.countPage('c', 'h', ['NOT-HEX'], RULE)).rejects.toThrow(RangeError);
    expect(() => new ParagraphCounter(redis, prefix, { maxHashesPerHost: 1 })).toThrow(RangeError);
    await counter.drop('c', 'h');
    expect(await counter.stats('c', 'h')).toEqual({ pages: 0, hashes: 0 });
  });

  it('keeps a full default table under half a megabyte', async () => {
    const redis = connect();
    const counter = new ParagraphCounter(redis, prefix);
    for (let p = 0; p < 3; p++) {
      const hashes = Array.from({ length: 2500 }, (_, i) => h(`${p}-${i}`));
      await counter.countPage('c', 'h', hashes, RULE);
    }
    expect((await counter.stats('c', 'h')).hashes).toBeLessThanOrEqual(5000);
    const bytes = Number(await redis.call('MEMORY', 'USAGE', `${prefix}:paragraphs:{c:h}`, 'SAMPLES', '0'));
    expect(bytes).toBeLessThan(500_000);
  });
});
