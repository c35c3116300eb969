import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex, type CampaignSpec } from '@gleaner/core';
import { LocalBlobStore, rawBodyKey } from '@gleaner/blob-store';
import { CampaignStore, RecordStore, UrlStore, type Database } from '@gleaner/db';
import { MinHasher, NearDuplicateIndex } from '@gleaner/dedupe';
import { Admission } from '@gleaner/frontier';
import {
  CappedCounter,
  GleanerQueues,
  ParagraphCounter,
  PolitenessSlots,
  SeenSet,
  type Redis,
} from '@gleaner/queue';
import { HostBoilerplate } from './host-boilerplate.js';
import { PagePipeline } from './page-pipeline.js';
import { startPipelineTestServices, type PipelineTestServices } from './pipeline-test-services.js';

const PROSE = (seed: string) =>
  Array.from(
    { length: 12 },
    (_, i) =>
      `<p>Paragraph ${i} about ${seed}: the river carried stones past the old mill, and the village ` +
      `counted its harvest by lantern light while the winter signal burned on the hill number ${i}.</p>`,
  ).join('\n');

describe('PagePipeline against real Redis, PGlite and a blob folder', () => {
  let services: PipelineTestServices;
  let database: Database;
  let redis: Redis;
  let queues: GleanerQueues;
  let blobs: LocalBlobStore;

  beforeAll(async () => {
    services = await startPipelineTestServices('pipeline');
    ({ database, redis, queues, blobs } = services);
  });
  afterAll(async () => {
    await services.stop();
  });

  async function setup(spec: Partial<CampaignSpec>) {
    const prefix = `test-${randomUUID()}`;
    const urls = new UrlStore(database.db);
    const campaign = await new CampaignStore(database.db).create('p', {
      seeds: ['http://site.test/'],
      scope: { mode: 'same-host', hosts: [] },
      include: [],
      exclude: [],
      maxPages: 100,
      maxDepth: 0,
      render: 'never',
      ...spec,
    });
    const pipeline = new PagePipeline({
      campaigns: new CampaignStore(database.db),
      urls,
      records: new RecordStore(database.db),
      blobs,
      admission: new Admission({
        urls,
        seen: new SeenSet(redis, prefix),
        queues,
        hostQuota: new CappedCounter(redis, 'host', prefix),
        politeness: new PolitenessSlots(redis, { prefix }),
      }),
      nearDuplicates: {
        hasher: new MinHasher(),
        index: new NearDuplicateIndex(redis, { prefix, expectedDocuments: 1000 }),
      },
      boilerplate: new HostBoilerplate(new ParagraphCounter(redis, prefix)),
    });
    const page = async (pathName: string, html: string) => {
      const url = `http://site.test${pathName}`;
      const [row] = await urls.admit(campaign.id, [
        { url, urlHash: sha256Hex(url).slice(0, 32), host: 'site.test', depth: 0 },
      ]);
      const body = Buffer.from(html);
      const bodySha256 = sha256Hex(body);
      await blobs.put(rawBodyKey(bodySha256), body);
      const data = {
        campaignId: campaign.id,
        urlId: row!.id,
        url,
        depth: 0,
        finalUrl: url,
        status: 200,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        bodySha256,
        bodyBytes: body.length,
        blobKey: rawBodyKey(bodySha256),
        nodeId: 'nod_test',
        ownerId: 'own_test',
        fetchedAt: new Date().toISOString(),
      };
      return { data, run: (retry = false) => pipeline.process(data, retry) };
    };
    const record = async (urlId: number) =>
      (await database.pool.query('select * from records where url_id = $1', [urlId])).rows[0] as
        Record<string, unknown> | undefined;
    return { campaign, page, record, urls, prefix, pipeline };
  }

  it('links a near-duplicate to its original, gives it no points, and handles a retry as done', async () => {
    const { page, record } = await setup({});
    const original = await page(
      '/a',
      `<html><body><article><h1>A</h1>${PROSE('rivers')}</article></body></html>`,
    );
    expect((await original.run()).kind).toBe('accepted');
    const edited = PROSE('rivers').replace('Paragraph 3 about', 'Paragraph three about');
    const near = await page('/b', `<html><body><article><h1>B</h1>${edited}</article></body></html>`);
    const outcome = await near.run();
    expect(outcome.kind).toBe('duplicate');
    const originalRecord = await record(original.data.urlId);
    const { rows } = await database.pool.query(
      'select kind, similarity, original_record_id from duplicates where url_id = $1',
      [near.data.urlId],
    );
    expect(rows[0]).toMatchObject({ kind: 'near', original_record_id: originalRecord!.id });
    expect(rows[0].similarity).toBeGreaterThanOrEqual(0.8);
    expect(await record(near.data.urlId)).toBeUndefined();
    expect((await original.run(true)).kind).toBe('already-done');
    const other = await page(
      '/c',
      `<html><body><article><h1>C</h1>${PROSE('glaciers and canyons far away')}</article></body></html>`,
    );
    expect((await other.run()).kind).toBe('accepted');
  });

  it('keeps the signed fetch and the response headers, without cookies, on records and duplicate links', async () => {
    const { page, record } = await setup({});
    const html = `<html><body><article><h1>Kept</h1>${PROSE('provenance')}</article></body></html>`;
    const signed = {
      jobId: 'job-17',
      attempt: 2,
      redirects: ['http://site.test/old'],
      signature: 'c2lnbmF0dXJl',
    };
    const first = await page('/kept', html);
    Object.assign(first.data, signed);
    Object.assign(first.data.headers, { 'Set-Cookie': 'sid=1', 'set-cookie2': 'x=2', etag: '"e1"' });
    expect((await first.run()).kind).toBe('accepted');
    const row = await record(first.data.urlId);
    expect(row!.provenance).toEqual(signed);
    expect(row!.http_headers).toEqual({ 'content-type': 'text/html; charset=utf-8', etag: '"e1"' });

    const again = await page('/kept-copy', html);
    Object.assign(again.data, { ...signed, jobId: 'job-18', attempt: 1, redirects: [] });
    expect((await again.run()).kind).toBe('duplicate');
    const { rows } = await database.pool.query(
      'select provenance, http_headers from duplicates where url_id = $1',
      [again.data.urlId],
    );
    expect(rows[0]).toEqual({
      provenance: { ...signed, jobId: 'job-18', attempt: 1, redirects: [] },
      http_headers: { 'content-type': 'text/html; charset=utf-8' },
    });
  });

  it('skips a page that fails the campaign’s quality filter, with the reason', async () => {
    const { page, urls, campaign } = await setup({ quality: { preset: 'none', minWords: 5000 } });
    const p = await page('/short', `<html><body><article>${PROSE('short')}</article></body></html>`);
    expect(await p.run()).toEqual({ kind: 'rejected', reason: 'TOO_FEW_WORDS' });
    const [row] = await urls.list(campaign.id, { state: 'skipped' });
    expect(row!.errorCode).toBe('TOO_FEW_WORDS');
    expect(row!.errorMessage).toMatch(/5000/);
  });

  it('redacts personal data and adds structured fields with per-record errors', async () => {
    const { page, record } = await setup({
      redactPii: { emails: true, phones: true, ipAddresses: true },
      structuredFields: [
        { name: 'price', selector: '.price', type: 'number', list: false, required: true, trim: true },
        { name: 'tags', selector: '.tag', type: 'string', list: true, required: false, trim: true },
        { name: 'sku', selector: '.sku', type: 'string', list: false, required: true, trim: true },
      ],
    });
    const html = `<html><body><article><h1>Shop</h1>${PROSE('shop')}
      <p>Write to sales@example.com or call +44 20 7946 0958 from 192.0.2.44 for more about this fine product today.</p>
      <span class="price">12.50</span><span class="tag">red</span><span class="tag">wool</span></article></body></html>`;
    const p = await page('/shop', html);
    expect((await p.run()).kind).toBe('accepted');
    const row = await record(p.data.urlId);
    expect(row!.text).toMatch(/\[EMAIL\]/);
    expect(row!.text).toMatch(/\[PHONE\]/);
    expect(row!.text).toMatch(/\[IP\]/);
    expect(row!.text).not.toMatch(/sales@example\.com|192\.0\.2\.44/);
    expect(row!.markdown).not.toMatch(/sales@example\.com/);
    expect(row!.fields).toMatchObject({ price: 12.5, tags: ['red', 'wool'] });
    expect(row!.field_errors).toEqual([expect.objectContaining({ field: 'sku', code: 'MISSING' })]);
  });

  it('redacts personal data in the metadata and structured fields too: description, author, JSON-LD, OpenGraph', async () => {
    const { page, record } = await setup({
      redactPii: { emails: true, phones: true, ipAddresses: true },
      structuredFields: [
        { name: 'contact', selector: '.contact', type: 'string', list: false, required: false, trim: true },
        { name: 'phone', selector: '.contact', type: 'integer', list: false, required: false, trim: true },
      ],
    });
    const html = `<html><head><title>Atelier</title>
      <meta name="description" content="Mail atelier@example.com or ring +44 20 7946 0958">
      <meta name="author" content="Ann Smith &lt;ann@example.org&gt;">
      <meta property="og:description" content="Bookings: 212-555-0123, from 192.0.2.9">
      <script type="application/ld+json">{"@context":"https://schema.org","@type":"Article","headline":"Atelier",
        "publisher":{"@type":"Organization","name":"Atelier","email":"desk@example.org","telephone":"+1 212 555 0199"}}</script>
      </head><body><article><h1>Atelier</h1>${PROSE('atelier')}
      <p class="contact">Ask Bo at bo@example.net</p></article></body></html>`;
    const p = await page('/atelier', html);
    expect((await p.run()).kind).toBe('accepted');
    const row = await record(p.data.urlId);
    const metadata = row!.metadata as {
      description: string;
      author: string;
      openGraph: Record<string, string>;
      jsonLd: { publisher: Record<string, string> }[];
    };
    expect(metadata.description).toBe('Mail [EMAIL] or ring [PHONE]');
    expect(metadata.author).toBe('Ann Smith <[EMAIL]>');
    expect(metadata.openGraph.description).toBe('Bookings: [PHONE], from [IP]');
    expect(metadata.jsonLd[0]!.publisher).toEqual({
      '@type': 'Organization',
      name: 'Atelier',
      email: '[EMAIL]',
      telephone: '[PHONE]',
    });
    expect(row!.fields).toEqual({ contact: 'Ask Bo at [EMAIL]' });
    expect(row!.field_errors).toEqual([
      { field: 'phone', code: 'INVALID_TYPE', message: '"Ask Bo at [EMAIL]" is not a number' },
    ]);
    const stored = JSON.stringify(row);
    for (const pii of ['@example.', '7946', '555-0123', '555 0199', '192.0.2.9'])
      expect(stored).not.toContain(pii);
  });

  it('learns the lines a host repeats on many pages and drops them from later records', async () => {
    const { page, record, prefix, campaign } = await setup({});
    const banner =
      'We use cookies to make this site work; by reading on you agree to our cookie policy and terms.';
    const ids: number[] = [];
    for (let n = 0; n < 7; n++) {
      const p = await page(
        `/bp/${n}`,
        `<html><body><article><h1>Story ${n}</h1><p>${banner}</p>${PROSE(`story number ${n} about harbors and ${'x'.repeat(n + 3)}`)}</article></body></html>`,
      );
      expect((await p.run()).kind).toBe('accepted');
      ids.push(p.data.urlId);
    }
    expect((await record(ids[0]!))!.text).toMatch(/We use cookies/);
    expect((await new ParagraphCounter(redis, prefix).stats(campaign.id, 'site.test')).pages).toBe(7);
    expect((await record(ids[6]!))!.text).not.toMatch(/We use cookies/);
    expect((await record(ids[6]!))!.markdown).not.toMatch(/We use cookies/);
    expect((await record(ids[6]!))!.text).toMatch(/story number 6/);
  });

  it('recrawls: a 304 keeps the record, a changed page adds version 2 once however often its job runs, the same text is unchanged', async () => {
    const { page, urls, pipeline } = await setup({});
    const first = await page(
      '/r',
      `<html><body><article><h1>R</h1>${PROSE('first edition')}</article></body></html>`,
    );
    Object.assign(first.data.headers, { etag: '"v1"' });
    expect((await first.run()).kind).toBe('accepted');
    expect((await urls.get(first.data.urlId))!.etag).toBe('"v1"');

    const versions = async () =>
      (
        await database.pool.query<{ version: number; round: number; points: string }>(
          `select r.version, r.round, (select coalesce(sum(points), 0) from points_ledger p where p.record_id = r.id) as points
             from records r where r.url_id = $1 order by r.version`,
          [first.data.urlId],
        )
      ).rows;
    const requeue = (round: number) =>
      database.pool.query("update urls set state = 'queued', round = $2 where id = $1", [
        first.data.urlId,
        round,
      ]);

    await requeue(1);
    const notModified = { ...first.data, round: 1, status: 304, bodyBytes: 0 };
    expect((await pipeline.process(notModified)).kind).toBe('unchanged');
    expect((await urls.get(first.data.urlId))!.state).toBe('done');
    expect(await versions()).toHaveLength(1);

    await requeue(2);
    const changedBody = Buffer.from(
      `<html><body><article><h1>R</h1>${PROSE('second edition with news')}</article></body></html>`,
    );
    const changedSha = sha256Hex(changedBody);
    await blobs.put(rawBodyKey(changedSha), changedBody);
    const changed = { ...first.data, round: 2, bodySha256: changedSha, blobKey: rawBodyKey(changedSha) };
    expect((await pipeline.process(changed)).kind).toBe('accepted');
    // A retried job finds its own new version: nothing more is written.
    expect(['already-done', 'unchanged']).toContain((await pipeline.process(changed, true)).kind);
    expect(await versions()).toEqual([
      { version: 1, round: 0, points: '1' },
      { version: 2, round: 2, points: '1' },
    ]);

    await requeue(3);
    expect((await pipeline.process({ ...changed, round: 3 })).kind).toBe('unchanged');
    expect(await versions()).toHaveLength(2);
  });
});
