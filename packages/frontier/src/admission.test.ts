import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignSpec } from '@gleaner/core';
import {
  CampaignStore,
  openDatabase,
  startEmbeddedPostgres,
  UrlStore,
  type Database,
  type EmbeddedPostgres,
} from '@gleaner/db';
import {
  CappedCounter,
  GleanerQueues,
  openRedis,
  PolitenessSlots,
  RobotsCache,
  SeenSet,
  SitemapTracker,
  startEmbeddedRedis,
  type EmbeddedRedis,
  type Redis,
} from '@gleaner/queue';
import { Admission } from './admission.js';
import { RobotsGate } from './robots-gate.js';

describe('Admission against real Redis and PGlite', () => {
  let dir: string;
  let redisServer: EmbeddedRedis;
  let pg: EmbeddedPostgres;
  let database: Database;
  let redis: Redis;
  const handles: GleanerQueues[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'admission-'));
    redisServer = await startEmbeddedRedis({ dataDir: dir });
    pg = await startEmbeddedPostgres({ dataDir: 'memory://' });
    database = openDatabase({ url: pg.url });
    redis = openRedis(redisServer.url);
  });
  afterAll(async () => {
    for (const q of handles) await q.close();
    redis.disconnect();
    await database.close();
    await pg.stop();
    await redisServer.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function setup(spec: Partial<CampaignSpec> = {}) {
    const prefix = `test-${randomUUID()}`;
    const queues = new GleanerQueues({ connection: redis, prefix });
    handles.push(queues);
    const urls = new UrlStore(database.db);
    const politeness = new PolitenessSlots(redis, { prefix });
    const robots = new RobotsGate({ cache: new RobotsCache(redis, { prefix }), urls, queues, politeness });
    const admission = new Admission({
      urls,
      seen: new SeenSet(redis, prefix),
      queues,
      hostQuota: new CappedCounter(redis, 'host', prefix),
      trapCounters: {
        queryVariants: new CappedCounter(redis, 'qv', prefix),
        calendarRuns: new CappedCounter(redis, 'cal', prefix),
      },
      trapLimits: { maxQueryVariantsPerPath: 3 },
      politeness,
      robots,
      sitemaps: new SitemapTracker(redis, prefix),
    });
    const campaign = await new CampaignStore(database.db).create('t', {
      seeds: ['http://a.test/'],
      scope: { mode: 'hosts', hosts: ['a.test', 'b.test'] },
      include: [],
      exclude: [],
      maxPages: 1000,
      maxDepth: 5,
      render: 'never',
      politeness: { minIntervalMs: 1000, maxInFlight: 2 },
      ...spec,
    });
    return { queues, urls, robots, admission, campaign, tracker: new SitemapTracker(redis, prefix) };
  }

  it('parks URLs until the host’s robots.txt is known, then queues the allowed ones spaced by the host’s pace', async () => {
    const { queues, urls, robots, admission, campaign } = await setup();
    const links = ['/', '/a', '/private/x', '/b'].map((p) => ({ url: `http://a.test${p}`, depth: 1 }));
    const result = await admission.admit(campaign, links);
    expect(result.queued).toBe(4);
    const robotsJobs = await queues.fetch.getJobs(['waiting', 'delayed']);
    expect(robotsJobs.map((j) => j.data.url)).toEqual(['http://a.test/robots.txt']);
    expect(robotsJobs[0]!.data.kind).toBe('robots');

    const outcome = await robots.onFetched(
      'http://a.test/robots.txt',
      200,
      Buffer.from('User-agent: *\nDisallow: /private\n'),
    );
    expect(outcome.released).toHaveLength(4);
    await admission.enqueue(campaign, outcome.released);
    const pages = (await queues.fetch.getJobs(['waiting', 'prioritized', 'delayed'])).filter(
      (j) => j.data.kind === 'page',
    );
    expect(pages.map((j) => j.data.url).sort()).toEqual([
      'http://a.test/',
      'http://a.test/a',
      'http://a.test/b',
    ]);
    const delays = pages.map((j) => j.opts.delay ?? 0).sort((a, b) => a - b);
    expect(delays[1]! - delays[0]!).toBeGreaterThanOrEqual(990);
    expect(delays[2]! - delays[1]!).toBeGreaterThanOrEqual(990);
    const skipped = await urls.list(campaign.id, { state: 'skipped' });
    expect(skipped.map((u) => [u.url, u.errorCode])).toEqual([['http://a.test/private/x', 'ROBOTS']]);
  });

  it('queues page fetches at the campaign’s priority (robots.txt ahead of all)', async () => {
    const urgent = await setup({ priority: 9 });
    const plain = await setup();
    for (const { admission, campaign, robots } of [urgent, plain]) {
      await admission.admit(campaign, [{ url: 'http://a.test/p', depth: 1 }]);
      await admission.enqueue(
        campaign,
        (await robots.onFetched('http://a.test/robots.txt', 404, Buffer.alloc(0))).released,
      );
    }
    const priorityOf = async (queues: GleanerQueues, kind: string) =>
      (await queues.fetch.getJobs(['waiting', 'prioritized', 'delayed'])).find((j) => j.data.kind === kind)
        ?.opts.priority;
    expect(await priorityOf(urgent.queues, 'page')).toBe(2);
    expect(await priorityOf(plain.queues, 'page')).toBe(6);
  });

  it('normalizes URLs as the campaign says: its own parameters to drop, query order kept', async () => {
    const { admission, campaign, urls } = await setup({
      normalization: { dropParameters: ['ref'], sortQuery: false },
    });
    await admission.admit(campaign, [
      { url: 'HTTP://A.test:80/x?z=1&utm_source=mail&ref=home#top', depth: 1 },
    ]);
    const plain = await setup();
    await plain.admission.admit(plain.campaign, [
      { url: 'HTTP://A.test:80/x?z=1&utm_source=mail&ref=home#top', depth: 1 },
    ]);
    expect((await urls.list(campaign.id)).map((u) => u.url)).toEqual(['http://a.test/x?z=1&utm_source=mail']);
    expect((await plain.urls.list(plain.campaign.id)).map((u) => u.url)).toEqual([
      'http://a.test/x?ref=home&z=1',
    ]);
  });

  it('admits each URL once, even when a batch is retried', async () => {
    const { admission, campaign, queues } = await setup({ maxPages: 2 });
    const links = ['/1', '/2', '/3'].map((p) => ({ url: `http://b.test${p}`, depth: 1 }));
    const first = await admission.admit(campaign, links);
    expect(first.queued).toBe(2);
    expect(first.skipped.limit).toBe(1);
    const again = await admission.admit(campaign, links, true);
    expect(again.queued).toBe(2);
    const parkedOrQueued = await queues.fetch.getJobs(['waiting', 'delayed']);
    expect(parkedOrQueued.filter((j) => j.data.kind === 'robots')).toHaveLength(1);
  });

  it('skips traps and URLs beyond the per-host cap, and records why', async () => {
    const { admission, campaign, urls } = await setup({ maxPagesPerHost: 4 });
    const links = [
      'http://a.test/x/y/x/y/x/y/x/y',
      `http://a.test/${'long'.repeat(600)}`,
      'http://a.test/cal/1901/01/01',
      'http://a.test/list?page=1',
      'http://a.test/list?page=2',
      'http://a.test/list?page=3',
      'http://a.test/list?page=4',
      'http://a.test/p1',
      'http://a.test/p2',
    ].map((url) => ({ url, depth: 1 }));
    const result = await admission.admit(campaign, links);
    expect(result.skipped.trap).toBe(4);
    const skipped = await urls.list(campaign.id, { state: 'skipped' });
    const reasons = skipped.map((u) => u.errorCode).sort();
    expect(reasons).toEqual(
      [
        'HOST_LIMIT',
        'TRAP_CALENDAR',
        'TRAP_QUERY_VARIANTS',
        'TRAP_REPEATED_SEQUENCE',
        'TRAP_URL_LENGTH',
      ].sort(),
    );
  });

  it('queues the sitemaps a host’s robots.txt lists, once per campaign, and tracks them until read', async () => {
    const { queues, robots, admission, campaign, tracker } = await setup();
    await admission.admit(campaign, [{ url: 'http://a.test/x', depth: 1 }]);
    const outcome = await robots.onFetched(
      'http://a.test/robots.txt',
      200,
      Buffer.from('User-agent: *\nAllow: /\nSitemap: http://a.test/sitemap.xml\n'),
    );
    await admission.enqueue(campaign, outcome.released);
    await admission.admit(campaign, [{ url: 'http://a.test/y', depth: 1 }]);
    const sitemapJobs = (await queues.fetch.getJobs(['waiting', 'delayed'])).filter(
      (j) => j.data.kind === 'sitemap',
    );
    expect(sitemapJobs.map((j) => j.data.url)).toEqual(['http://a.test/sitemap.xml']);
    expect(await tracker.pending(campaign.id)).toBe(1);
    expect(await admission.queueSitemaps(campaign, ['http://a.test/sitemap.xml'])).toBe(0);
    await tracker.done(campaign.id, 'http://a.test/sitemap.xml');
    expect(await tracker.pending(campaign.id)).toBe(0);

    // A recrawl round reads them again, robots.txt ones included, under job ids of its own.
    await tracker.startRound(campaign.id);
    expect(await tracker.round(campaign.id)).toBe(1);
    await admission.admit(campaign, [{ url: 'http://a.test/z', depth: 1 }]);
    expect(await admission.queueSitemaps(campaign, ['http://a.test/sitemap.xml'])).toBe(0);
    const again = (await queues.fetch.getJobs(['waiting', 'delayed'])).filter(
      (j) => j.data.kind === 'sitemap',
    );
    expect(again.map((j) => j.id).sort()).toEqual(
      [sitemapJobs[0]!.id, sitemapJobs[0]!.id!.replace(`${campaign.id}-`, `${campaign.id}-r1-`)].sort(),
    );
    expect(await tracker.pending(campaign.id)).toBe(1);
    await tracker.drop(campaign.id);
    expect(await tracker.round(campaign.id)).toBe(0);
  });

  it('matches a pathological pattern against a hostile URL in milliseconds', async () => {
    // On a backtracking engine `(a+)+$` takes 2^n steps on n a's and a final mismatch: 32 of them cost 20 s.
    const { admission, campaign, queues } = await setup({ exclude: ['^http://a\\.test/(a+)+$'] });
    const hostile = `http://a.test/${'a'.repeat(32)}!`;
    const started = performance.now();
    const result = await admission.admit(campaign, [
      { url: hostile, depth: 1 },
      { url: `http://a.test/${'a'.repeat(32)}`, depth: 1 },
    ]);
    const elapsedMs = performance.now() - started;
    expect(result.queued).toBe(1);
    expect(result.skipped.pattern).toBe(1);
    expect(elapsedMs).toBeLessThan(200);
    const parked = await queues.fetch.getJobs(['waiting', 'delayed']);
    expect(parked.map((j) => j.data.kind)).toEqual(['robots']);
  });
});
