import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex, type CampaignSpec } from '@gleaner/core';
import { LocalBlobStore, rawBodyKey } from '@gleaner/blob-store';
import { CampaignStore, RecordStore, UrlStore, type Database } from '@gleaner/db';
import { Admission, RobotsGate } from '@gleaner/frontier';
import {
  CappedCounter,
  GleanerQueues,
  PolitenessSlots,
  RobotsCache,
  SeenSet,
  type Redis,
} from '@gleaner/queue';
import { PagePipeline } from './page-pipeline.js';
import { startPipelineTestServices, type PipelineTestServices } from './pipeline-test-services.js';

const PROSE = Array.from(
  { length: 10 },
  (_, i) =>
    `<p>Paragraph ${i}: the ferry left the harbour at dawn, and the keepers of the lighthouse wrote down the ` +
    `weather, the ships and the birds they saw, as they had done every day for a hundred years.</p>`,
).join('\n');

/** A page with the given head and links to /next and (marked nofollow) /sponsored. */
const html = (head = '') =>
  `<html><head>${head}<title>Logbook</title></head><body><article>${PROSE}` +
  `<p><a href="/next">next</a> <a rel="sponsored nofollow" href="/sponsored">ad</a></p></article></body></html>`;

describe('PagePipeline and the choices sites make, against real Redis, PGlite and a blob folder', () => {
  let services: PipelineTestServices;
  let database: Database;
  let redis: Redis;
  let queues: GleanerQueues;
  let blobs: LocalBlobStore;

  beforeAll(async () => {
    services = await startPipelineTestServices('site-choices');
    ({ database, redis, queues, blobs } = services);
  });
  afterAll(async () => {
    await services.stop();
  });

  async function setup(spec: Partial<CampaignSpec> = {}) {
    const prefix = `test-${randomUUID()}`;
    const host = `site-${randomUUID().slice(0, 8)}.test`;
    const urls = new UrlStore(database.db);
    const politeness = new PolitenessSlots(redis, { prefix });
    const robots = new RobotsGate({ cache: new RobotsCache(redis, { prefix }), urls, queues, politeness });
    const campaign = await new CampaignStore(database.db).create('p', {
      seeds: [`http://${host}/`],
      scope: { mode: 'same-host', hosts: [] },
      include: [],
      exclude: [],
      maxPages: 100,
      maxDepth: 3,
      render: 'never',
      ...spec,
    });
    const pipeline = new PagePipeline({
      campaigns: new CampaignStore(database.db),
      urls,
      records: new RecordStore(database.db),
      blobs,
      robots,
      admission: new Admission({
        urls,
        seen: new SeenSet(redis, prefix),
        queues,
        hostQuota: new CappedCounter(redis, 'host', prefix),
        politeness,
        robots,
      }),
    });
    // robots.txt is known (none), so the gate lets pages through once tdmrep.json is known too.
    await robots.onFetched(`http://${host}/robots.txt`, 404, Buffer.alloc(0));
    let n = 0;
    const page = async (markup: string, headers: Record<string, string> = {}, pathName = `/p${n++}`) => {
      const url = `http://${host}${pathName}`;
      const [row] = await urls.admit(campaign.id, [
        { url, urlHash: sha256Hex(url).slice(0, 32), host, depth: 0 },
      ]);
      // Each page's text is its own, so no page is a duplicate of another.
      const body = Buffer.from(markup.replace('<article>', `<article><h2>Entry ${pathName} of ${host}</h2>`));
      const bodySha256 = sha256Hex(body);
      await blobs.put(rawBodyKey(bodySha256), body);
      const data = {
        campaignId: campaign.id,
        urlId: row!.id,
        url,
        depth: 0,
        finalUrl: url,
        status: 200,
        headers: { 'content-type': 'text/html; charset=utf-8', ...headers },
        bodySha256,
        bodyBytes: body.length,
        blobKey: rawBodyKey(bodySha256),
        nodeId: 'nod_test',
        ownerId: 'own_test',
        fetchedAt: new Date().toISOString(),
      };
      return { data, run: () => pipeline.process(data) };
    };
    const record = async (urlId: number) =>
      (await database.pool.query('select * from records where url_id = $1', [urlId])).rows[0] as
        Record<string, unknown> | undefined;
    const skipped = async (urlId: number) =>
      (await database.pool.query('select state, error_code, error_message from urls where id = $1', [urlId]))
        .rows[0] as { state: string; error_code: string; error_message: string };
    const admitted = async () =>
      (await urls.list(campaign.id, {})).map((row) => new URL(row.url).pathname).sort();
    return { host, robots, page, record, skipped, admitted };
  }

  it('keeps no record of a page whose meta robots says noindex, and still follows its links', async () => {
    const { page, record, skipped, admitted } = await setup();
    const p = await page(html('<meta name="robots" content="NOINDEX">'));
    expect(await p.run()).toEqual({ kind: 'rejected', reason: 'NOINDEX' });
    expect(await record(p.data.urlId)).toBeUndefined();
    expect(await skipped(p.data.urlId)).toMatchObject({ state: 'skipped', error_code: 'NOINDEX' });
    expect(await admitted()).toEqual(['/next', '/p0']);
  });

  it('reads X-Robots-Tag, for every crawler or for GleanerBot by name, and not for others', async () => {
    const { page, record } = await setup();
    expect(await (await page(html(), { 'X-Robots-Tag': 'GleanerBot: noindex' })).run()).toEqual({
      kind: 'rejected',
      reason: 'NOINDEX',
    });
    expect(await (await page(html(), { 'x-robots-tag': 'none' })).run()).toMatchObject({ reason: 'NOINDEX' });
    expect(await (await page(html(), { 'x-robots-tag': 'noai' })).run()).toEqual({
      kind: 'rejected',
      reason: 'NOAI',
    });
    const other = await page(html(), { 'x-robots-tag': 'otherbot: noindex, noai, gleanerbot: noarchive' });
    expect((await other.run()).kind).toBe('accepted');
    expect((await record(other.data.urlId))!.site_signals).toEqual({
      robots: ['noarchive'],
      tdmReservation: null,
      tdmPolicy: null,
      tdmSource: null,
    });
  });

  it('keeps a noarchive, noimageai page with its signals, and admits none of a nofollow page’s links', async () => {
    const { page, record, admitted } = await setup();
    const p = await page(
      html('<meta name="robots" content="noarchive, noimageai"><meta name="gleanerbot" content="nofollow">'),
    );
    expect((await p.run()).kind).toBe('accepted');
    expect((await record(p.data.urlId))!.site_signals).toMatchObject({
      robots: ['noarchive', 'nofollow', 'noimageai'],
    });
    expect(await admitted()).toEqual(['/p0']);
  });

  it('leaves rel="nofollow" links out unless the campaign says to ignore it', async () => {
    const honoured = await setup();
    expect((await (await honoured.page(html())).run()).kind).toBe('accepted');
    expect(await honoured.admitted()).toEqual(['/next', '/p0']);
    const ignored = await setup({ nofollowLinks: 'ignore' });
    expect((await (await ignored.page(html())).run()).kind).toBe('accepted');
    expect(await ignored.admitted()).toEqual(['/next', '/p0', '/sponsored']);
  });

  it('honours a TDMRep reservation from the header and the meta tag, and publishes a non-reservation', async () => {
    const { page, record, skipped } = await setup();
    const header = await page(html(), { 'tdm-reservation': '1', 'tdm-policy': 'https://rights.test/p.json' });
    expect(await header.run()).toEqual({ kind: 'rejected', reason: 'TDM_RESERVED' });
    expect((await skipped(header.data.urlId)).error_message).toMatch(/header, policy https:\/\/rights\.test/);
    const meta = await page(html('<meta name="tdm-reservation" content="1">'));
    expect(await meta.run()).toEqual({ kind: 'rejected', reason: 'TDM_RESERVED' });
    // The header speaks before the meta tag.
    const open = await page(html('<meta name="tdm-reservation" content="1">'), {
      'tdm-reservation': '0',
      'tdm-policy': 'https://rights.test/open.json',
    });
    expect((await open.run()).kind).toBe('accepted');
    expect((await record(open.data.urlId))!.site_signals).toEqual({
      robots: [],
      tdmReservation: 0,
      tdmPolicy: 'https://rights.test/open.json',
      tdmSource: 'header',
    });
    const malformed = await page(html('<meta name="tdm-reservation" content="maybe">'));
    expect((await malformed.run()).kind).toBe('accepted');
  });

  it('honours the site’s /.well-known/tdmrep.json, first matching rule first, ahead of headers', async () => {
    const { host, robots, page, record } = await setup();
    const file = [
      { location: '/reserved/*', 'tdm-reservation': 1, 'tdm-policy': 'https://rights.test/policy.json' },
      { location: '/', 'tdm-reservation': 0 },
    ];
    await robots.onFetched(`http://${host}/.well-known/tdmrep.json`, 200, Buffer.from(JSON.stringify(file)));
    const reserved = await page(html(), { 'tdm-reservation': '0' }, '/reserved/story');
    expect(await reserved.run()).toEqual({ kind: 'rejected', reason: 'TDM_RESERVED' });
    const free = await page(html(), {}, '/free');
    expect((await free.run()).kind).toBe('accepted');
    expect((await record(free.data.urlId))!.site_signals).toMatchObject({
      tdmReservation: 0,
      tdmSource: 'file',
    });
  });

  it('reads a hostile tdmrep.json and hostile headers as no declaration, without failing', async () => {
    const { host, robots, page } = await setup();
    await robots.onFetched(
      `http://${host}/.well-known/tdmrep.json`,
      200,
      Buffer.from(
        `[{"location": ${JSON.stringify('*'.repeat(5000))}, "tdm-reservation": 7}, {"location": 1}]`,
      ),
    );
    const p = await page(html(`<meta name="robots" content="${'nofollow,'.repeat(5000)}">`), {
      'x-robots-tag': `${'a:'.repeat(10_000)}noindex`,
      'tdm-reservation': '1; drop table records',
    });
    expect((await p.run()).kind).toBe('accepted');
  });
});
