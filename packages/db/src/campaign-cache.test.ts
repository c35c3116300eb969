import type { CampaignSpec } from '@gleaner/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CampaignCache } from './campaign-cache.js';
import { CampaignStore, type CampaignRow } from './campaign-store.js';
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
  recrawl: { intervalMs: 1, rounds: 2 },
};

/** A clock the test moves by hand, ms. */
function manualClock(): { now: () => number; advance(ms: number): void } {
  let at = 1_000_000;
  return { now: () => at, advance: (ms) => void (at += ms) };
}

describe('CampaignCache over CampaignStore (PGlite)', () => {
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

  it('serves a row until its TTL, then reads the write another process made', async () => {
    const clock = manualClock();
    const here = new CampaignStore(database.db, { cache: { ttlMs: 1000, now: clock.now } });
    // Another process: its own store over the same database, whose writes this one's cache cannot hear of.
    const elsewhere = new CampaignStore(database.db);
    const campaign = await here.create('ttl', spec);
    expect((await here.cache.get(campaign.id))?.status).toBe('running');

    await elsewhere.transition(campaign.id, 'paused');
    clock.advance(999);
    expect((await here.cache.get(campaign.id))?.status).toBe('running');
    clock.advance(1);
    expect((await here.cache.get(campaign.id))?.status).toBe('paused');
  });

  it('is invalidated by every write the store makes: spec, state, seeded, completion and recrawl round', async () => {
    const clock = manualClock();
    const campaigns = new CampaignStore(database.db, { cache: { ttlMs: 60_000, now: clock.now } });
    const urls = new UrlStore(database.db);
    const campaign = await campaigns.create('writes', spec);
    const first = (await campaigns.cache.get(campaign.id))!;
    expect(first.seeded).toBe(false);

    await campaigns.markSeeded(campaign.id);
    const seeded = (await campaigns.cache.get(campaign.id))!;
    expect(seeded.seeded).toBe(true);
    // A state change leaves the spec unchanged: the same object, so what was derived from it stays valid.
    expect(seeded.spec).toBe(first.spec);

    await campaigns.transition(campaign.id, 'paused');
    expect((await campaigns.cache.get(campaign.id))?.status).toBe('paused');
    const edited = { ...spec, maxDepth: 5 };
    await campaigns.updateSpec(campaign.id, 'writes', edited);
    const afterEdit = (await campaigns.cache.get(campaign.id))!;
    expect(afterEdit.spec).toEqual(edited);
    expect(afterEdit.spec).not.toBe(first.spec);

    await campaigns.transition(campaign.id, 'running');
    const resumed = (await campaigns.cache.get(campaign.id))!;
    expect(resumed.status).toBe('running');
    expect(resumed.spec).toEqual(edited);

    const [row] = await urls.admit(campaign.id, [
      { url: 'https://example.com/', urlHash: 'h-root', host: 'example.com', depth: 0 },
    ]);
    await urls.markFetched(row!.id);
    await urls.markAccepted(row!.id, 'done');
    expect(await campaigns.completeIfDone(campaign.id)).toBe(true);
    expect((await campaigns.cache.get(campaign.id))?.status).toBe('completed');

    expect(await campaigns.startRecrawl(campaign.id, new Date(Date.now() + 5000))).toBe(1);
    const recrawl = (await campaigns.cache.get(campaign.id))!;
    expect([recrawl.status, recrawl.round]).toEqual(['running', 1]);

    await campaigns.transition(campaign.id, 'cancelled');
    expect((await campaigns.cache.get(campaign.id))?.status).toBe('cancelled');
  });

  it('never serves a stale spec after a spec edit and a resume, even where the edit was made elsewhere', async () => {
    const clock = manualClock();
    const here = new CampaignStore(database.db, { cache: { ttlMs: 1000, now: clock.now } });
    const elsewhere = new CampaignStore(database.db);
    const campaign = await here.create('edited elsewhere', spec);
    await here.cache.get(campaign.id);
    await elsewhere.transition(campaign.id, 'paused');
    const edited = { ...spec, seeds: ['https://example.com/', 'https://example.com/new'] };
    await elsewhere.updateSpec(campaign.id, 'edited elsewhere', edited);
    await elsewhere.transition(campaign.id, 'running');

    // What must see the edit at once asks for a fresh read, which the others then share.
    const fresh = (await here.cache.refresh(campaign.id))!;
    expect(fresh.spec).toEqual(edited);
    expect(await here.cache.get(campaign.id)).toBe(fresh);
    // And without it, the TTL bounds how late the edit is seen.
    const later = new CampaignStore(database.db, { cache: { ttlMs: 1000, now: clock.now } });
    await elsewhere.transition(campaign.id, 'paused');
    const before = (await later.cache.get(campaign.id))!;
    await elsewhere.updateSpec(campaign.id, 'edited elsewhere', { ...edited, maxPages: 7 });
    expect((await later.cache.get(campaign.id))?.spec.maxPages).toBe(before.spec.maxPages);
    clock.advance(1000);
    expect((await later.cache.get(campaign.id))?.spec.maxPages).toBe(7);
  });

  it('remembers a campaign that does not exist for the TTL too', async () => {
    const clock = manualClock();
    const campaigns = new CampaignStore(database.db, { cache: { ttlMs: 1000, now: clock.now } });
    expect(await campaigns.cache.get('cmp_missing')).toBeUndefined();
    expect(await campaigns.cache.get('cmp_missing')).toBeUndefined();
  });
});

describe('CampaignCache reads', () => {
  const row = (status: CampaignRow['status']): CampaignRow => ({
    id: 'cmp_1',
    name: 'c',
    status,
    spec: structuredClone(spec),
    seeded: true,
    round: 0,
    nextRecrawlAt: null,
    datasetId: 'ds_1',
    createdAt: new Date(0),
    updatedAt: new Date(0),
    completedAt: null,
  });

  it('shares one read among concurrent misses', async () => {
    let reads = 0;
    const cache = new CampaignCache(async () => {
      reads++;
      await new Promise((resolve) => setImmediate(resolve));
      return row('running');
    });
    const rows = await Promise.all([cache.get('cmp_1'), cache.get('cmp_1'), cache.get('cmp_1')]);
    expect(reads).toBe(1);
    expect(new Set(rows).size).toBe(1);
  });

  it('does not keep a read that started before an invalidation', async () => {
    let release: (r: CampaignRow) => void = () => undefined;
    const answers = [
      new Promise<CampaignRow>((resolve) => (release = resolve)),
      Promise.resolve(row('paused')),
    ];
    const cache = new CampaignCache(() => answers.shift()!);
    const early = cache.get('cmp_1');
    // The write commits and invalidates while the first read is still in flight.
    cache.invalidate('cmp_1');
    release(row('running'));
    expect((await early)?.status).toBe('running');
    expect((await cache.get('cmp_1'))?.status).toBe('paused');
  });

  it('keeps no failed read', async () => {
    let fail = true;
    const cache = new CampaignCache(() =>
      fail ? Promise.reject(new Error('database down')) : Promise.resolve(row('running')),
    );
    await expect(cache.get('cmp_1')).rejects.toThrow('database down');
    fail = false;
    expect((await cache.get('cmp_1'))?.status).toBe('running');
  });
});
