import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
  GleanerQueues,
  openRedis,
  RobotsCache,
  startEmbeddedRedis,
  type EmbeddedRedis,
  type Redis,
} from '@gleaner/queue';
import { loadWorkerConfig } from './config.js';
import { WorkerService } from './worker-service.js';

const spec: CampaignSpec = {
  seeds: ['http://shared.test/'],
  scope: { mode: 'hosts', hosts: ['shared.test'] },
  include: [],
  exclude: [],
  maxPages: 100,
  maxDepth: 3,
  render: 'never',
  politeness: { minIntervalMs: 1000, maxInFlight: 1 },
};

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what} did not happen in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('WorkerService when a campaign is cancelled', () => {
  let dir: string;
  let redisServer: EmbeddedRedis;
  let pg: EmbeddedPostgres;
  let database: Database;
  let redis: Redis;
  let queues: GleanerQueues;
  let worker: WorkerService;
  let prefix: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'worker-service-'));
    redisServer = await startEmbeddedRedis({ dataDir: path.join(dir, 'redis') });
    pg = await startEmbeddedPostgres({ dataDir: 'memory://' });
    prefix = `test-${randomUUID()}`;
    worker = new WorkerService(
      loadWorkerConfig({
        DATABASE_URL: pg.url,
        REDIS_URL: redisServer.url,
        GLEANER_BLOB_DIR: path.join(dir, 'blobs'),
        GLEANER_QUEUE_PREFIX: prefix,
        GLEANER_EXTRACT_THREADS: '0',
      }),
    );
    await worker.start();
    database = openDatabase({ url: pg.url });
    redis = openRedis(redisServer.url);
    queues = new GleanerQueues({ connection: redis, prefix });
  });
  afterEach(async () => {
    await worker.stop();
    await queues.close();
    redis.disconnect();
    await database.close();
    await pg.stop();
    await redisServer.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const robotsJobOf = async (campaignId: string) =>
    (await queues.fetch.getJobs(['waiting', 'prioritized', 'delayed'])).find(
      (job) => job.data.kind === 'robots' && job.data.campaignId === campaignId,
    );

  it('asks for robots.txt again for another campaign waiting on the host, without waiting out the claim', async () => {
    const campaigns = new CampaignStore(database.db);
    const first = await campaigns.create('first', spec);
    const second = await campaigns.create('second', spec);
    const robots = new RobotsCache(redis, { prefix });

    await queues.admit({ campaignId: first.id, links: [{ url: 'http://shared.test/a', depth: 0 }] });
    await until('the first campaign’s robots.txt job', () => robotsJobOf(first.id), 10_000);
    await queues.admit({ campaignId: second.id, links: [{ url: 'http://shared.test/b', depth: 0 }] });
    await until(
      'both campaigns’ URLs parked',
      async () => ((await robots.parkedCount('shared.test')) === 2 ? true : undefined),
      10_000,
    );
    // The host's fetch is claimed by the first campaign: the second one's URL waits for it.
    expect(await robotsJobOf(second.id)).toBeUndefined();

    // What the API does at a cancel; the gateway then skips the first campaign's robots.txt job.
    await campaigns.transition(first.id, 'cancelled');
    await new UrlStore(database.db).cancelPending(first.id);

    const asked = await until('a robots.txt job for the second campaign', () => robotsJobOf(second.id), 5000);
    expect(asked.data.url).toBe('http://shared.test/robots.txt');
  });
});
