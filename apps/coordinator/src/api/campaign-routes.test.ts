import { sha256Hex } from '@gleaner/core';
import type { Campaign, CampaignStats, CampaignUrlList } from '@gleaner/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './api-test-harness.js';

interface ErrorJson {
  error: {
    code: string;
    message: string;
    details?: { target: string; path: (string | number)[]; message: string }[];
  };
}

describe('campaign routes', () => {
  let h: ApiHarness;
  const admin = (method: string, path: string, body?: unknown) =>
    h.call(method, path, { token: h.adminToken, ...(body === undefined ? {} : { body }) });
  const create = async (body: unknown) => {
    const res = await admin('POST', '/v1/campaigns', body);
    expect(res.status).toBe(201);
    return (await res.json()) as Campaign;
  };
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('creates a campaign with a defaulted spec and queues its seeds', async () => {
    const seeds = ['https://example.com/', 'http://example.com/docs'];
    const campaign = await create({ name: 'docs', seeds });
    expect(campaign).toMatchObject({ name: 'docs', status: 'running', completedAt: null });
    expect(campaign.id).toMatch(/^cmp_/);
    expect(campaign.datasetId).toMatch(/^ds_/);
    expect(Date.parse(campaign.createdAt)).not.toBeNaN();
    expect(campaign.spec).toEqual({
      seeds,
      scope: { mode: 'same-host', hosts: [] },
      include: [],
      exclude: [],
      maxPages: 1000,
      maxDepth: 3,
      render: 'never',
      politeness: { minIntervalMs: 1000, maxInFlight: 2 },
    });
    const job = await h.deps.queues.frontier.getJob(`seed-${campaign.id}`);
    expect(job?.data).toEqual({
      campaignId: campaign.id,
      links: seeds.map((url) => ({ url, depth: 0 })),
      seed: true,
    });
  });

  it('keeps a full spec as given', async () => {
    const spec = {
      seeds: ['https://a.example.org/start'],
      scope: { mode: 'hosts', hosts: ['A.example.org', 'b.example.org'] },
      include: ['^https://a\\.example\\.org/'],
      exclude: ['\\.pdf$'],
      maxPages: 10,
      maxDepth: 0,
      render: 'auto',
      maxPagesPerHost: 5,
      politeness: { minIntervalMs: 250, maxInFlight: 1 },
    };
    const campaign = await create({ name: 'full', ...spec });
    expect(campaign.spec).toEqual({
      ...spec,
      scope: { mode: 'hosts', hosts: ['a.example.org', 'b.example.org'] },
    });
  });

  it.each([
    ['a relative seed', { seeds: ['/docs'] }, 'seeds.0'],
    ['an ftp seed', { seeds: ['ftp://example.com/'] }, 'seeds.0'],
    ['no seeds', { seeds: [] }, 'seeds'],
    ['too many seeds', { seeds: Array.from({ length: 1001 }, (_, i) => `https://e.com/${i}`) }, 'seeds'],
    ['a bad regex', { seeds: ['https://e.com/'], include: ['(unclosed'] }, 'include.0'],
    ['an unknown scope mode', { seeds: ['https://e.com/'], scope: { mode: 'everywhere' } }, 'scope.mode'],
    ['hosts mode without hosts', { seeds: ['https://e.com/'], scope: { mode: 'hosts' } }, 'scope.hosts'],
    ['maxPages too large', { seeds: ['https://e.com/'], maxPages: 10_000_001 }, 'maxPages'],
    ['a negative depth', { seeds: ['https://e.com/'], maxDepth: -1 }, 'maxDepth'],
  ])('rejects %s with 400 and the issues', async (_label, spec, path) => {
    const res = await admin('POST', '/v1/campaigns', { name: 'bad', ...spec });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorJson;
    expect(body.error.code).toBe('BAD_REQUEST');
    expect(body.error.details?.map((d) => d.path.join('.'))).toContain(path);
    expect(body.error.details?.[0]?.target).toBe('json');
  });

  it('explains a bad regex clearly', async () => {
    const res = await admin('POST', '/v1/campaigns', {
      name: 'bad',
      seeds: ['https://e.com/'],
      exclude: ['a[b'],
    });
    const body = (await res.json()) as ErrorJson;
    expect(body.error.message).toBe(
      'invalid body: exclude.0: pattern "a[b": not a valid RE2 regular expression: missing closing ]: `[b`',
    );
  });

  it('refuses a pattern the linear-time engine cannot run, naming it and saying why', async () => {
    const res = await admin('POST', '/v1/campaigns', {
      name: 'backreference',
      seeds: ['https://e.com/'],
      include: ['^https://e\\.com/', '/(\\w+)/\\1/'],
      structuredFields: [{ name: 'price', selector: '.price', type: 'number', pattern: '\\d+(?= EUR)' }],
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorJson;
    expect(body.error.code).toBe('BAD_REQUEST');
    expect(body.error.message).toBe(
      'invalid body: include.1: pattern "/(\\w+)/\\1/": backreferences (\\1, \\k<name>) are not supported: patterns run on a linear-time engine (RE2)',
    );
    expect(body.error.details?.map((d) => [d.path.join('.'), d.message])).toEqual([
      ['include.1', expect.stringContaining('backreferences')],
      [
        'structuredFields.0.pattern',
        expect.stringMatching(/^pattern "\\d\+\(\?= EUR\)": lookahead and lookbehind/),
      ],
    ]);
  });

  it('accepts a pattern that would backtrack exponentially, since RE2 runs it in linear time', async () => {
    const campaign = await create({ name: 'nested', seeds: ['https://e.com/'], exclude: ['(a+)+$'] });
    expect(campaign.spec.exclude).toEqual(['(a+)+$']);
  });

  it('lists and gets campaigns', async () => {
    const campaign = await create({ name: 'listed', seeds: ['https://listed.example/'] });
    const list = (await (await admin('GET', '/v1/campaigns')).json()) as { campaigns: Campaign[] };
    expect(list.campaigns[0]).toEqual(campaign);
    expect(await (await admin('GET', `/v1/campaigns/${campaign.id}`)).json()).toEqual(campaign);
    const missing = await admin('GET', '/v1/campaigns/cmp_missing');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ErrorJson).error.code).toBe('NOT_FOUND');
    expect((await admin('GET', '/v1/campaigns/bad%20id')).status).toBe(400);
  });

  it('pauses, resumes and cancels, refusing illegal moves with 409', async () => {
    const { id } = await create({ name: 'life', seeds: ['https://life.example/'] });
    const move = async (action: string) => admin('POST', `/v1/campaigns/${id}/${action}`);
    expect(((await (await move('pause')).json()) as Campaign).status).toBe('paused');
    expect(((await (await move('pause')).json()) as Campaign).status).toBe('paused');
    expect(((await (await move('resume')).json()) as Campaign).status).toBe('running');
    await h.deps.urls.admit(id, [
      { url: 'https://life.example/', urlHash: sha256Hex('life'), host: 'life.example', depth: 0 },
    ]);
    expect(((await (await move('cancel')).json()) as Campaign).status).toBe('cancelled');
    expect((await h.deps.urls.list(id)).map((u) => u.state)).toEqual(['cancelled']);
    for (const action of ['resume', 'pause']) {
      const res = await move(action);
      expect(res.status).toBe(409);
      expect((await res.json()) as ErrorJson).toEqual({
        error: {
          code: 'CONFLICT',
          message: expect.stringMatching(/is cancelled and cannot be (resumed|paused)$/),
        },
      });
    }
    expect((await admin('POST', '/v1/campaigns/cmp_missing/pause')).status).toBe(404);
  });

  it('keeps a draft unfetched and editable until it is started, then queues its seeds once', async () => {
    const draft = await create({ name: 'draft', seeds: ['https://draft.example/'], draft: true });
    expect(draft.status).toBe('draft');
    expect(draft.spec).not.toHaveProperty('draft');
    expect(await h.deps.queues.frontier.getJob(`seed-${draft.id}`)).toBeUndefined();
    for (const action of ['resume', 'pause']) {
      expect((await admin('POST', `/v1/campaigns/${draft.id}/${action}`)).status).toBe(409);
    }
    const edited = await admin('PUT', `/v1/campaigns/${draft.id}/spec`, {
      name: 'draft, edited',
      seeds: ['https://draft.example/', 'https://draft.example/more'],
    });
    expect(edited.status).toBe(200);
    expect(await h.deps.queues.frontier.getJobs(['waiting', 'delayed'])).not.toContainEqual(
      expect.objectContaining({ data: expect.objectContaining({ campaignId: draft.id }) }),
    );

    const started = await admin('POST', `/v1/campaigns/${draft.id}/start`);
    expect(started.status).toBe(200);
    expect(((await started.json()) as Campaign).status).toBe('running');
    const job = await h.deps.queues.frontier.getJob(`seed-${draft.id}`);
    expect(job?.data.links.map((l) => l.url)).toEqual([
      'https://draft.example/',
      'https://draft.example/more',
    ]);
    expect((await admin('POST', `/v1/campaigns/${draft.id}/start`)).status).toBe(200);
    expect((await admin('POST', `/v1/campaigns/${draft.id}/pause`)).status).toBe(200);
    const notDraft = await admin('POST', `/v1/campaigns/${draft.id}/start`);
    expect(notDraft.status).toBe(409);
    expect(((await notDraft.json()) as ErrorJson).error.message).toMatch(/is paused, not a draft/);

    const dropped = await create({ name: 'dropped', seeds: ['https://draft.example/'], draft: true });
    expect((await admin('POST', `/v1/campaigns/${dropped.id}/cancel`)).status).toBe(200);
    expect((await admin('POST', `/v1/campaigns/${dropped.id}/start`)).status).toBe(409);
  });

  it('cancels a completed campaign only while a recrawl is planned', async () => {
    const finish = async (body: Record<string, unknown>) => {
      const { id } = await create({ name: 'done', seeds: ['https://done.example/'], ...body });
      await h.deps.campaigns.markSeeded(id);
      expect(await h.deps.campaigns.completeIfDone(id)).toBe(true);
      return (await (await admin('GET', `/v1/campaigns/${id}`)).json()) as Campaign;
    };
    const finished = await finish({});
    expect(finished.nextRecrawlAt).toBeNull();
    expect((await admin('POST', `/v1/campaigns/${finished.id}/cancel`)).status).toBe(409);

    const recurring = await finish({ recrawl: { intervalMs: 3_600_000 } });
    expect(recurring.status).toBe('completed');
    expect(Date.parse(recurring.nextRecrawlAt!)).toBeGreaterThan(Date.now() + 3_500_000);
    const cancelled = await admin('POST', `/v1/campaigns/${recurring.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(((await cancelled.json()) as Campaign).status).toBe('cancelled');
    expect(await h.deps.campaigns.listDueRecrawls(new Date(Date.now() + 7_200_000))).not.toContainEqual(
      expect.objectContaining({ id: recurring.id }),
    );
  });

  it('reports stats with the status', async () => {
    const { id } = await create({ name: 'stats', seeds: ['https://stats.example/'] });
    await h.deps.urls.admit(id, [
      { url: 'https://stats.example/', urlHash: sha256Hex('s'), host: 'stats.example', depth: 0 },
    ]);
    const stats = (await (await admin('GET', `/v1/campaigns/${id}/stats`)).json()) as CampaignStats;
    expect(stats).toEqual({
      campaignId: id,
      status: 'running',
      round: 0,
      nextRecrawlAt: null,
      urls: { queued: 1, leased: 0, fetched: 0, done: 0, duplicate: 0, failed: 0, skipped: 0, cancelled: 0 },
      records: 0,
      duplicates: 0,
      points: 0,
      textBytes: 0,
      fetchedBytes: 0,
      pagesPerSecond: 0,
      etaSeconds: null,
      warnings: [],
    });
    expect((await admin('GET', '/v1/campaigns/cmp_missing/stats')).status).toBe(404);

    // A campaign that cannot move says why.
    const statsOf = async (campaignId: string) =>
      ((await (await admin('GET', `/v1/campaigns/${campaignId}/stats`)).json()) as CampaignStats).warnings;
    const nodes = h.nodes.splice(0);
    try {
      expect(await statsOf(id)).toEqual(['no node is connected: nothing is fetched until one connects']);
      h.nodes.push({ render: false, paused: false });
      const rendered = await create({ name: 'rendered', seeds: ['https://js.example/'], render: 'always' });
      await h.deps.urls.admit(rendered.id, [
        { url: 'https://js.example/', urlHash: sha256Hex('js'), host: 'js.example', depth: 0 },
      ]);
      expect((await statsOf(rendered.id))[0]).toMatch(/no connected node renders/);
      h.nodes.push({ render: true, paused: false });
      expect(await statsOf(rendered.id)).toEqual([]);
    } finally {
      h.nodes.splice(0, h.nodes.length, ...nodes);
    }
  });

  it("pages through a campaign's URLs, optionally by state", async () => {
    const { id } = await create({ name: 'urls', seeds: ['https://urls.example/'] });
    const admitted = Array.from({ length: 5 }, (_, i) => ({
      url: `https://urls.example/${i}`,
      urlHash: sha256Hex(`urls-${i}`),
      host: 'urls.example',
      depth: 1,
    }));
    const rows = await h.deps.urls.admit(id, admitted);
    await h.deps.urls.markFailed(rows[0]!.id, 'TIMEOUT', 'took too long');
    const seen: string[] = [];
    let after: number | null = 0;
    while (after !== null) {
      const res = await admin('GET', `/v1/campaigns/${id}/urls?limit=2&after=${after}`);
      const page = (await res.json()) as CampaignUrlList;
      seen.push(...page.urls.map((u) => u.url));
      after = page.next;
    }
    expect(seen.sort()).toEqual(admitted.map((u) => u.url).sort());
    const failed = (await (
      await admin('GET', `/v1/campaigns/${id}/urls?state=failed`)
    ).json()) as CampaignUrlList;
    expect(failed.urls).toHaveLength(1);
    expect(failed.urls[0]).toMatchObject({
      state: 'failed',
      errorCode: 'TIMEOUT',
      errorMessage: 'took too long',
    });
    expect(failed.next).toBeNull();
    for (const query of ['limit=5000', 'limit=0', 'state=lost', 'after=-1']) {
      expect((await admin('GET', `/v1/campaigns/${id}/urls?${query}`)).status).toBe(400);
    }
    expect((await admin('GET', '/v1/campaigns/cmp_missing/urls')).status).toBe(404);
  });
});
