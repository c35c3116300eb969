import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignSpec } from '@gleaner/core';
import {
  CampaignStore,
  migrateDatabase,
  openDatabase,
  startEmbeddedPostgres,
  type Database,
  type EmbeddedPostgres,
} from '@gleaner/db';
import {
  openRedis,
  startEmbeddedRedis,
  type EmbeddedRedis,
  type FrontierJobData,
  type Job,
} from '@gleaner/queue';
import { loadWorkerConfig } from './config.js';
import { createWorkerDeps } from './create-worker-deps.js';
import { FrontierProcessor } from './frontier-processor.js';

const spec: CampaignSpec = {
  seeds: ['http://old.test/'],
  scope: { mode: 'hosts', hosts: ['old.test'] },
  include: [],
  exclude: [],
  maxPages: 100,
  maxDepth: 3,
  render: 'never',
};

describe('FrontierProcessor (PGlite, redis-server)', () => {
  let dir: string;
  let redisServer: EmbeddedRedis;
  let pg: EmbeddedPostgres;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'frontier-processor-'));
    redisServer = await startEmbeddedRedis({ dataDir: path.join(dir, 'redis') });
    pg = await startEmbeddedPostgres({ dataDir: 'memory://' });
    await migrateDatabase(pg.url);
  });
  afterAll(async () => {
    await pg.stop();
    await redisServer.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('admits seeds a coordinator added with a spec edit a moment ago, whatever the cache still holds', async () => {
    const database: Database = openDatabase({ url: pg.url });
    const redis = openRedis(redisServer.url);
    const config = loadWorkerConfig({
      DATABASE_URL: pg.url,
      REDIS_URL: redisServer.url,
      GLEANER_BLOB_DIR: path.join(dir, 'blobs'),
      GLEANER_QUEUE_PREFIX: `test-${randomUUID()}`,
      GLEANER_EXTRACT_THREADS: '0',
    });
    const deps = createWorkerDeps(config, { database, redis });
    // The coordinator: its own store, whose writes the worker's cache does not hear of.
    const coordinator = new CampaignStore(database.db);
    try {
      const campaign = await coordinator.create('edited', spec);
      await coordinator.transition(campaign.id, 'paused');
      // The worker read the campaign a moment ago (a page of it, say): the old scope is in its cache.
      expect((await deps.campaigns.cache.get(campaign.id))?.spec.scope.hosts).toEqual(['old.test']);

      // What PUT /v1/campaigns/{id}/spec does: the new spec, then a frontier job for the new seed.
      const edited = {
        ...spec,
        seeds: [...spec.seeds, 'http://new.test/'],
        scope: { mode: 'hosts' as const, hosts: ['old.test', 'new.test'] },
      };
      await coordinator.updateSpec(campaign.id, 'edited', edited);
      await deps.queues.admit(
        { campaignId: campaign.id, links: [{ url: 'http://new.test/', depth: 0 }] },
        'edit',
      );
      const job = (await deps.queues.frontier.getJob('edit')) as Job<FrontierJobData>;

      const result = await new FrontierProcessor(deps).run(job);

      expect(result).toMatchObject({ queued: 1, skipped: { scope: 0 } });
      expect((await deps.urls.list(campaign.id)).map((row) => row.url)).toEqual(['http://new.test/']);
      // The fresh read serves the rest of the worker.
      expect((await deps.campaigns.cache.get(campaign.id))?.spec).toEqual(edited);
    } finally {
      await deps.queues.close();
      redis.disconnect();
      await database.close();
    }
  });
});
