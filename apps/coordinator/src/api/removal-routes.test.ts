import { parseCampaignSpec, type FeedLine, type SiteRemovalBody } from '@gleaner/contracts';
import { SiteRemovalStore } from '@gleaner/db';
import { SampleSite } from '@gleaner/sample-site';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './api-test-harness.js';
import { RemovalTokenCheck } from './removal-token-check.js';

describe('removal routes, verified against a real site on loopback', () => {
  let h: ApiHarness;
  let site: SampleSite;
  let key: string;
  /** What each host serves at /.well-known/gleaner-removal.txt (404 while unset). */
  const tokenFiles = new Map<string, string>();
  const HOST = '127.0.0.41';
  const OTHER = '127.0.0.42';
  let nextUrlId = 1;

  beforeAll(async () => {
    h = await startApiHarness();
    key = (await h.deps.accounts.createApiKey('lab', ['datasets:read'])).key;
    const tokenFile = (host: string) => ({
      contentType: 'text/plain; charset=utf-8',
      body: () => tokenFiles.get(host) ?? '',
      status: () => (tokenFiles.has(host) ? 200 : 404),
    });
    site = new SampleSite({
      hosts: [HOST, OTHER],
      offScopeHost: '127.0.0.43',
      pagesPerHost: 2,
      seed: 3,
      files: {
        [HOST]: { '/.well-known/gleaner-removal.txt': tokenFile(HOST) },
        [OTHER]: { '/.well-known/gleaner-removal.txt': tokenFile(OTHER) },
      },
    });
    await site.start();
  });
  afterAll(async () => {
    await site.stop();
    await h.close();
  });

  /** Accepts a page of `host` into the dataset, as the pipeline does. */
  async function accept(datasetId: string, campaignId: string, host: string) {
    const urlId = nextUrlId++;
    const outcome = await h.deps.records.accept({
      datasetId,
      campaignId,
      urlId,
      url: `http://${host}/${urlId}`,
      finalUrl: `http://${host}/${urlId}`,
      host,
      status: 200,
      contentType: 'text/html',
      fetchedAt: new Date(),
      nodeId: 'nod_1',
      ownerId: 'own_1',
      bodySha256: 'a'.repeat(64),
      blobKey: `raw/${urlId}`,
      title: null,
      text: `text of page ${urlId}`,
      markdown: `text of page ${urlId}`,
      language: 'en',
      textHash: `hash-${urlId}`,
      metadata: {},
    });
    if (outcome.kind !== 'accepted') throw new Error(`page ${urlId} was not accepted: ${outcome.kind}`);
    return outcome.recordId;
  }

  const feed = async (datasetId: string, cursor?: string) => {
    const res = await h.call(
      'GET',
      `/v1/datasets/${datasetId}/records${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`,
      { token: key },
    );
    const text = await res.text();
    const lines =
      text === ''
        ? []
        : text
            .trimEnd()
            .split('\n')
            .map((line) => JSON.parse(line) as FeedLine);
    return { lines, next: res.headers.get('gleaner-next-cursor')! };
  };

  it('withdraws a host’s records once its owner publishes the token, and denies the host from then on', async () => {
    const campaign = await h.deps.campaigns.create('rm', parseCampaignSpec({ seeds: [`http://${HOST}:1/`] }));
    const host = `${HOST}:${site.port}`;
    const other = `${OTHER}:${site.port}`;
    const removed = [
      await accept(campaign.datasetId, campaign.id, host),
      await accept(campaign.datasetId, campaign.id, host),
    ];
    const kept = await accept(campaign.datasetId, campaign.id, other);
    const before = await feed(campaign.datasetId);
    expect(before.lines.map((line) => line.id).sort()).toEqual([...removed, kept].sort());

    const created = await h.call('POST', '/v1/removals', { body: { host: host.toUpperCase() } });
    expect(created.status).toBe(201);
    const removal = (await created.json()) as SiteRemovalBody;
    expect(removal).toMatchObject({
      host,
      state: 'pending',
      tokenPath: '/.well-known/gleaner-removal.txt',
      tokenUrls: [
        `https://${host}/.well-known/gleaner-removal.txt`,
        `http://${host}/.well-known/gleaner-removal.txt`,
      ],
    });
    expect(removal.token).toMatch(/^gleaner-removal-/);

    // Not published yet, then published wrong: the request stays pending and says why.
    const early = (await (
      await h.call('POST', `/v1/removals/${removal.id}/verify`)
    ).json()) as SiteRemovalBody;
    expect(early).toMatchObject({ state: 'pending', attempts: 1 });
    expect(early.lastError).toMatch(/HTTP 404/);
    tokenFiles.set(HOST, 'gleaner-removal-someone-else\n');
    const wrong = (await (
      await h.call('POST', `/v1/removals/${removal.id}/verify`)
    ).json()) as SiteRemovalBody;
    expect(wrong).toMatchObject({ state: 'pending', attempts: 2 });
    expect(wrong.lastError).toMatch(/does not hold the token/);
    expect((await feed(campaign.datasetId)).lines).toHaveLength(3);

    tokenFiles.set(HOST, `# Gleaner removal\n${removal.token}\n`);
    const verified = await h.call('POST', `/v1/removals/${removal.id}/verify`);
    expect(verified.status).toBe(200);
    expect(await verified.json()).toMatchObject({ state: 'verified', withdrawn: 2, lastError: null });
    const after = await feed(campaign.datasetId);
    const records = (lines: FeedLine[]) =>
      lines.filter((line) => line.type === 'record').map((line) => line.id);
    expect(records(after.lines)).toEqual([kept]);
    const tombstones = await feed(campaign.datasetId, before.next);
    expect(tombstones.lines.map((line) => [line.type, line.id]).sort()).toEqual(
      removed.map((id) => ['tombstone', id]).sort(),
    );
    expect(await new SiteRemovalStore(h.deps.db, { cacheMs: 0 }).isRemoved(host)).toBe(true);
    expect(await new SiteRemovalStore(h.deps.db, { cacheMs: 0 }).isRemoved(other)).toBe(false);

    // A page of the host that was on its way lands withdrawn; the request reads back verified.
    const late = await accept(campaign.datasetId, campaign.id, host);
    expect(records((await feed(campaign.datasetId)).lines)).toEqual([kept]);
    expect((await feed(campaign.datasetId, after.next)).lines.map((line) => line.id)).toContain(late);
    const read = await h.call('GET', `/v1/removals/${removal.id}`);
    expect(await read.json()).toMatchObject({ state: 'verified', attempts: 3 });
  });

  it('refuses what is not a host, and unknown requests', async () => {
    for (const host of [
      '',
      'http://example.com/',
      'example.com/path',
      'user@example.com',
      'a b',
      'x'.repeat(300),
    ]) {
      const res = await h.call('POST', '/v1/removals', { body: { host } });
      expect(res.status, host).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST');
    }
    expect((await h.call('POST', '/v1/removals', { body: {} })).status).toBe(400);
    expect((await h.call('GET', '/v1/removals/rmv_unknown')).status).toBe(404);
    expect((await h.call('POST', '/v1/removals/rmv_unknown/verify')).status).toBe(404);
  });

  it('limits how often one network asks, and what a hostile token file can do', async () => {
    let limited = 0;
    for (let i = 0; i < 12; i++)
      if ((await h.call('POST', '/v1/removals', { body: { host: `rate${i}.example` } })).status === 429)
        limited++;
    expect(limited).toBeGreaterThan(0);
    // A huge file, and a private address without the test's permission, are refusals, not crashes.
    tokenFiles.set(OTHER, 'x'.repeat(100_000));
    const check = new RemovalTokenCheck({ allowPrivateNetwork: true, timeoutMs: 2_000 });
    expect(await check.problem(`${OTHER}:${site.port}`, 'gleaner-removal-x')).toMatch(/TOO_LARGE/);
    const guarded = new RemovalTokenCheck({ timeoutMs: 2_000 });
    expect(await guarded.problem(`${OTHER}:${site.port}`, 'gleaner-removal-x')).toMatch(/BLOCKED_ADDRESS/);
  });
});
