import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignSpec } from '@gleaner/core';
import {
  CampaignStore,
  openDatabase,
  startEmbeddedPostgres,
  type Database,
  type EmbeddedPostgres,
} from '@gleaner/db';
import { CampaignStatusCache } from './campaign-status-cache.js';

const spec: CampaignSpec = {
  seeds: ['https://example.com/'],
  scope: { mode: 'same-host', hosts: [] },
  include: [],
  exclude: [],
  maxPages: 10,
  maxDepth: 1,
  render: 'never',
  politeness: { minIntervalMs: 750, maxInFlight: 1 },
};

describe('CampaignStatusCache over the shared campaign cache (PGlite)', () => {
  let postgres: EmbeddedPostgres;
  let database: Database;
  beforeAll(async () => {
    postgres = await startEmbeddedPostgres({ dataDir: 'memory://' });
    database = openDatabase({ url: postgres.url, maxConnections: 2 });
  });
  afterAll(async () => {
    await database.close();
    await postgres.stop();
  });

  it('sees a pause made through the same store at once, and derives a view once per row read', async () => {
    const campaigns = new CampaignStore(database.db, { cache: { ttlMs: 60_000 } });
    const views = new CampaignStatusCache(campaigns);
    const campaign = await campaigns.create('gateway', spec);

    const running = await views.view(campaign.id);
    expect(running).toMatchObject({ status: 'running', pace: { minIntervalMs: 750, maxInFlight: 1 } });
    expect(running.scope?.check('https://example.com/a')).toBeUndefined();
    expect(await views.view(campaign.id)).toBe(running);

    // What the API does: the same CampaignStore, so the gateway's next lease sees it.
    await campaigns.transition(campaign.id, 'paused');
    expect((await views.view(campaign.id)).status).toBe('paused');
  });

  it('calls a campaign that does not exist missing, without a scope', async () => {
    const views = new CampaignStatusCache(new CampaignStore(database.db));
    const view = await views.view('cmp_missing');
    expect(view.status).toBe('missing');
    expect(view.scope).toBeUndefined();
  });
});
