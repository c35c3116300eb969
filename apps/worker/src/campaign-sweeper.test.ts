import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CampaignSpec } from '@gleaner/core';
import {
  migrateDatabase,
  openDatabase,
  startEmbeddedPostgres,
  type Database,
  type EmbeddedPostgres,
} from '@gleaner/db';
import { urlHash } from '@gleaner/frontier';
import { openRedis, startEmbeddedRedis, type EmbeddedRedis, type Redis } from '@gleaner/queue';
import { CampaignSweeper } from './campaign-sweeper.js';
import { loadWorkerConfig } from './config.js';
import { createWorkerDeps, type WorkerDeps } from './create-worker-deps.js';

const root = 'http://site.test/';
const rootHash = urlHash(root);

const spec: CampaignSpec = {
  seeds: ['http://site.test/'],
  scope: { mode: 'hosts', hosts: ['site.test'] },
  include: [],
  exclude: [],
  maxPages: 100,
  maxDepth: 3,
  render: 'never',
};

describe('CampaignSweeper (PGlite, redis-server)', () => {
  let dir: string;
  let redisServer: EmbeddedRedis;
  let pg: EmbeddedPostgres;
  let database: Database;
  let redis: Redis;
  let deps: WorkerDeps;
  let sweeper: CampaignSweeper;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'campaign-sweeper-'));
    redisServer = await startEmbeddedRedis({ dataDir: path.join(dir, 'redis') });
    pg = await startEmbeddedPostgres({ dataDir: 'memory://' });
    await migrateDatabase(pg.url);
  });
  afterAll(async () => {
    await pg.stop();
    await redisServer.stop();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    const config = loadWorkerConfig({
      DATABASE_URL: pg.url,
      REDIS_URL: redisServer.url,
      GLEANER_BLOB_DIR: path.join(dir, 'blobs'),
      GLEANER_QUEUE_PREFIX: `test-${randomUUID()}`,
      GLEANER_EXTRACT_THREADS: '0',
    });
    database = openDatabase({ url: config.DATABASE_URL });
    redis = openRedis(config.REDIS_URL);
    deps = createWorkerDeps(config, { database, redis });
    sweeper = new CampaignSweeper(deps);
  });
  afterEach(async () => {
    await sweeper.stop();
    await deps.queues.close();
    redis.disconnect();
    await database.close();
  });

  /** A seeded campaign with one admitted URL, seen in its seen-set; returns the campaign and the URL's id. */
  async function campaignWithOneUrl(campaignSpec: CampaignSpec = spec) {
    const campaign = await deps.campaigns.create('swept', campaignSpec);
    await deps.campaigns.markSeeded(campaign.id);
    await deps.seen.admit(campaign.id, [rootHash], campaignSpec.maxPages);
    const [row] = await deps.urls.admit(campaign.id, [
      { url: root, urlHash: rootHash, host: 'site.test', depth: 0 },
    ]);
    return { campaign, urlId: row!.id };
  }

  it('completes a campaign whose round is done and drops its Redis state, and leaves an unfinished one running', async () => {
    const done = await campaignWithOneUrl();
    await deps.urls.markFetched(done.urlId);
    await deps.urls.markAccepted(done.urlId, 'done');
    const unfinished = await campaignWithOneUrl();

    const stillRunning = await sweeper.completeRounds();

    // Campaigns of earlier tests share the database: only this test's two are looked at.
    const ours = [done.campaign.id, unfinished.campaign.id];
    expect(stillRunning.map((c) => c.id).filter((id) => ours.includes(id))).toEqual([unfinished.campaign.id]);
    expect((await deps.campaigns.get(done.campaign.id))?.status).toBe('completed');
    expect(await deps.seen.size(done.campaign.id)).toBe(0);
    expect((await deps.campaigns.get(unfinished.campaign.id))?.status).toBe('running');
    expect(await deps.seen.size(unfinished.campaign.id)).toBe(1);
  });

  it('keeps the seen-set of a campaign with a recrawl planned, and starts its round once it is due', async () => {
    const { campaign, urlId } = await campaignWithOneUrl({ ...spec, recrawl: { intervalMs: 1 } });
    await deps.urls.markFetched(urlId);
    await deps.urls.markAccepted(urlId, 'done');
    await sweeper.completeRounds();
    expect((await deps.campaigns.get(campaign.id))?.status).toBe('completed');
    expect(await deps.seen.size(campaign.id)).toBe(1);

    await new Promise((resolve) => setTimeout(resolve, 5));
    await sweeper.startDueRecrawls();

    const reopened = (await deps.campaigns.get(campaign.id))!;
    expect([reopened.status, reopened.round]).toEqual(['running', 1]);
    expect(await deps.urls.get(urlId)).toMatchObject({ state: 'queued', round: 1 });
    // Its host's robots.txt is not known yet: the URL waits for it, and the robots.txt is asked for.
    const robotsJobs = (await deps.queues.fetch.getJobs(['waiting', 'prioritized', 'delayed'])).filter(
      (job) => job.data.kind === 'robots' && job.data.campaignId === campaign.id,
    );
    expect(robotsJobs.map((job) => job.data.url)).toEqual(['http://site.test/robots.txt']);
    // The same cache every part of the worker reads already knows.
    expect((await deps.campaigns.cache.get(campaign.id))?.round).toBe(1);
  });

  it('cancels the URLs a cancelled campaign still has queued and drops its Redis state', async () => {
    const { campaign, urlId } = await campaignWithOneUrl();
    await deps.campaigns.transition(campaign.id, 'cancelled');

    await sweeper.sweepCancelled();

    expect((await deps.urls.get(urlId))?.state).toBe('cancelled');
    expect(await deps.seen.size(campaign.id)).toBe(0);
  });

  it('runs one sweep at a time, and stop waits for the one in progress', async () => {
    await campaignWithOneUrl();
    const first = sweeper.sweep();
    expect(sweeper.sweep()).toBe(first);
    await sweeper.stop();
    await first;
  });
});
