import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CampaignStore,
  openDatabase,
  RecordStore,
  SiteRemovalStore,
  startEmbeddedPostgres,
  UrlStore,
  type Database,
  type EmbeddedPostgres,
} from '@gleaner/db';
import {
  GleanerQueues,
  openRedis,
  PolitenessSlots,
  RobotsCache,
  startEmbeddedRedis,
  type EmbeddedRedis,
  type FetchJobData,
  type Redis,
} from '@gleaner/queue';
import { urlHash } from './admission.js';
import { RobotsGate } from './robots-gate.js';
import { parseTdmrep } from './tdmrep-file.js';

describe('RobotsGate with tdmrep.json and removed hosts, against real Redis and PGlite', () => {
  let dir: string;
  let redisServer: EmbeddedRedis;
  let pg: EmbeddedPostgres;
  let database: Database;
  let redis: Redis;
  const handles: GleanerQueues[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'robots-gate-'));
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

  async function setup() {
    const prefix = `test-${randomUUID()}`;
    const queues = new GleanerQueues({ connection: redis, prefix });
    handles.push(queues);
    const urls = new UrlStore(database.db);
    const removals = new SiteRemovalStore(database.db, { cacheMs: 0 });
    const gate = new RobotsGate({
      cache: new RobotsCache(redis, { prefix }),
      urls,
      queues,
      politeness: new PolitenessSlots(redis, { prefix }),
      tdmrep: true,
      removals,
    });
    const campaign = await new CampaignStore(database.db).create('t', {
      seeds: ['http://a.test/'],
      scope: { mode: 'same-host', hosts: [] },
      include: [],
      exclude: [],
      maxPages: 100,
      maxDepth: 2,
      render: 'never',
    });
    const host = `h${randomUUID().slice(0, 8)}.test`;
    const jobs = async (...paths: string[]): Promise<FetchJobData[]> => {
      const rows = await urls.admit(
        campaign.id,
        paths.map((p) => ({
          url: `http://${host}${p}`,
          urlHash: urlHash(`http://${host}${p}`),
          host,
          depth: 0,
        })),
      );
      return rows.map((row) => ({
        kind: 'page' as const,
        campaignId: campaign.id,
        urlId: row.id,
        url: row.url,
        depth: 0,
        render: false,
      }));
    };
    const asked = async () =>
      (await queues.fetch.getJobs(['waiting', 'prioritized', 'delayed'])).map(
        (j) => new URL(j.data.url).pathname,
      );
    return { gate, urls, removals, campaign, host, jobs, asked };
  }

  it('fetches tdmrep.json after robots.txt, the same way, and lets pages through once both are known', async () => {
    const { gate, host, jobs, asked } = await setup();
    const waiting = await jobs('/a', '/b');
    expect(await gate.filter(host, waiting)).toEqual([]);
    expect(await asked()).toEqual(['/robots.txt']);
    const afterRobots = await gate.onFetched(`http://${host}/robots.txt`, 404, Buffer.alloc(0));
    expect(afterRobots.released).toHaveLength(2);
    // Released into admission, they wait again, now for the TDMRep file.
    expect(await gate.filter(host, afterRobots.released)).toEqual([]);
    expect((await asked()).sort()).toEqual(['/.well-known/tdmrep.json', '/robots.txt']);
    const file = JSON.stringify([{ location: '/a', 'tdm-reservation': 1 }]);
    const afterFile = await gate.onFetched(`http://${host}/.well-known/tdmrep.json`, 200, Buffer.from(file));
    expect(await gate.filter(host, afterFile.released)).toHaveLength(2);
    expect(await gate.tdmDeclarationFor(`http://${host}/a`)).toEqual({ reservation: 1 });
    expect(await gate.tdmDeclarationFor(`http://${host}/b`)).toBeUndefined();
  });

  it('counts a tdmrep.json that cannot be fetched as none, so it never holds up the host', async () => {
    const { gate, host, jobs } = await setup();
    await gate.onFetched(`http://${host}/robots.txt`, 200, Buffer.from('User-agent: *\nAllow: /\n'));
    expect(await gate.filter(host, await jobs('/x'))).toEqual([]);
    const outcome = await gate.onFetched(`http://${host}/.well-known/tdmrep.json`, 0, Buffer.alloc(0));
    expect(await gate.filter(host, outcome.released)).toHaveLength(1);
    expect(await gate.tdmDeclarationFor(`http://${host}/x`)).toBeUndefined();
  });

  it('skips every URL of a host its owner had removed', async () => {
    const { gate, urls, removals, campaign, host, jobs } = await setup();
    const removal = await removals.create(host);
    await removals.verify(removal.id, new RecordStore(database.db));
    expect(await gate.filter(host, await jobs('/c', '/d'))).toEqual([]);
    const skipped = await urls.list(campaign.id, { state: 'skipped' });
    expect(skipped.map((u) => u.errorCode)).toEqual(['SITE_REMOVED', 'SITE_REMOVED']);
  });
});

describe('parseTdmrep', () => {
  it('takes the first rule whose location matches, in robots.txt path syntax', () => {
    const rules = parseTdmrep(
      JSON.stringify([
        { location: '/news/*.html$', 'tdm-reservation': 1, 'tdm-policy': 'https://x.test/p' },
        { location: '/news/', 'tdm-reservation': '0' },
        { location: '/', 'tdm-reservation': 1 },
      ]),
    );
    expect(rules.declarationFor('/news/a.html')).toEqual({ reservation: 1, policy: 'https://x.test/p' });
    expect(rules.declarationFor('/news/a.html?x=1')).toEqual({ reservation: 0 });
    expect(rules.declarationFor('/other')).toEqual({ reservation: 1 });
  });

  it('declares nothing for a file that is not TDMRep', () => {
    for (const text of [
      '',
      'not json',
      '{"location": "/"}',
      '[1, null, {"location": "/", "tdm-reservation": 2}]',
    ])
      expect(parseTdmrep(text).declarationFor('/')).toBeUndefined();
  });
});
