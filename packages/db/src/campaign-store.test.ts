import type { CampaignSpec } from '@gleaner/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CampaignStore } from './campaign-store.js';
import { openDatabase, type Database } from './database.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';
import { UrlStore } from './url-store.js';

const spec: CampaignSpec = {
  seeds: ['https://example.com/'],
  scope: { mode: 'same-host', hosts: [] },
  include: [],
  exclude: [],
  maxPages: 100,
  maxDepth: 2,
  render: 'never',
  recrawl: { intervalMs: 1000 },
};

describe('CampaignStore recrawl rounds', () => {
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

  it('completes only when no URL is unfinished, then queues the next round from the state and the HTTP status', async () => {
    const campaigns = new CampaignStore(database.db);
    const urls = new UrlStore(database.db);
    const campaign = await campaigns.create('recrawled', spec);
    await campaigns.markSeeded(campaign.id);
    const rows = await urls.admit(
      campaign.id,
      ['ok', 'gone', 'down'].map((name) => ({
        url: `https://example.com/${name}`,
        urlHash: `hash-${name}`,
        host: 'example.com',
        depth: 0,
      })),
    );
    const [ok, gone, down] = ['ok', 'gone', 'down'].map(
      (name) => rows.find((r) => r.url.endsWith(`/${name}`))!.id,
    ) as [number, number, number];
    await urls.markFetched(ok);
    expect(await campaigns.completeIfDone(campaign.id)).toBe(false);
    await urls.markAccepted(ok, 'done');
    await urls.markFailed(gone, 'HTTP_ERROR', 'HTTP 404', { httpStatus: 404 });
    expect(await campaigns.completeIfDone(campaign.id)).toBe(false);
    await urls.markFailed(down, 'HTTP_ERROR', 'HTTP 502', { httpStatus: 502 });
    expect(await campaigns.completeIfDone(campaign.id)).toBe(true);

    expect(await campaigns.startRecrawl(campaign.id, new Date(Date.now() + 5000))).toBe(1);
    const after = await urls.list(campaign.id);
    expect(after.map((r) => [r.id, r.state, r.round]).sort()).toEqual(
      [
        [ok, 'queued', 1],
        [gone, 'failed', 0],
        [down, 'queued', 1],
      ].sort(),
    );
    // The round is started once, whoever asks again.
    expect(await campaigns.startRecrawl(campaign.id, new Date(Date.now() + 5000))).toBeUndefined();
  });
});
