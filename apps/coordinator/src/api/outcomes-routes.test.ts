import { randomUUID } from 'node:crypto';
import type { NodeOutcome, NodeOutcomes, UrlOutcomes } from '@gleaner/contracts';
import { PointsStore, urls, type UrlState } from '@gleaner/db';
import { urlHash } from '@gleaner/frontier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './api-test-harness.js';
import { urlOutcomeOf } from './outcomes-routes.js';

describe('outcome routes', () => {
  let h: ApiHarness;
  let points: PointsStore;
  beforeAll(async () => {
    h = await startApiHarness();
    points = new PointsStore(h.database.db);
  });
  afterAll(async () => {
    await h.close();
  });

  /** A campaign URL in a state, as the frontier and the pipeline leave it. */
  async function urlRow(
    campaignId: string,
    url: string,
    state: UrlState,
    failure: { errorCode?: string; errorMessage?: string; httpStatus?: number } = {},
  ): Promise<number> {
    const [row] = await h.database.db
      .insert(urls)
      .values({
        campaignId,
        url,
        urlHash: urlHash(url),
        host: new URL(url).host,
        depth: 0,
        state,
        ...failure,
      })
      .returning({ id: urls.id });
    return row!.id;
  }

  /** A page fetched by a node, as the pipeline accepts it (a record, or a duplicate of the same text). */
  async function accept(
    node: { id: string; ownerId: string },
    campaignId: string,
    url: string,
    text: string,
  ) {
    const urlId = await urlRow(campaignId, url, 'fetched');
    const jobId = `job-${randomUUID()}`;
    const outcome = await h.deps.records.accept({
      datasetId: `ds_${campaignId}`,
      campaignId,
      urlId,
      url,
      finalUrl: url,
      host: new URL(url).host,
      status: 200,
      contentType: 'text/html',
      fetchedAt: new Date(),
      nodeId: node.id,
      ownerId: node.ownerId,
      bodySha256: 'a'.repeat(64),
      blobKey: 'raw/a',
      provenance: { jobId, attempt: 1, redirects: [], signature: 'sig' },
      title: null,
      text,
      markdown: text,
      language: 'en',
      textHash: `hash-${text}`,
      metadata: null,
    });
    return { jobId, outcome };
  }

  const get = (token: string, path: string) => h.call('GET', path, { token });

  it("lists a node's records, duplicates and withdrawals with their points, to its owner only", async () => {
    const ada = await h.deps.accounts.createOwner('ada');
    const bob = await h.deps.accounts.createOwner('bob');
    const node = await h.deps.accounts.createNode(ada.owner.id, 'pem', 'a1');
    const other = await h.deps.accounts.createNode(bob.owner.id, 'pem', 'b1');
    const cmp = `cmp_${randomUUID().slice(0, 8)}`;
    await accept(node, cmp, 'https://a.example/settled', `settled ${cmp}`);
    const withdrawn = await accept(node, cmp, 'https://a.example/withdrawn', `withdrawn ${cmp}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const cut = new Date();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const kept = await accept(node, cmp, 'https://a.example/kept', `kept ${cmp}`);
    const dup = await accept(node, cmp, 'https://a.example/dup', `kept ${cmp}`);
    await accept(other, cmp, 'https://a.example/bobs', `bobs ${cmp}`);
    expect(dup.outcome.kind).toBe('duplicate');
    const recordOf = (r: typeof kept) => (r.outcome.kind === 'accepted' ? r.outcome.recordId : '');

    // Settle the first two credits, then withdraw one of them and reverse its point, as a ban does.
    expect(await points.settle(node.id, cut, 7)).toBe(2);
    const everything = new Date(Date.now() + 1000);
    await h.deps.records.withdrawRecords([recordOf(withdrawn)], 'node banned: fabrication');
    expect(await points.reverse(recordOf(withdrawn), 'record withdrawn', 7)).toBe(true);

    const path = `/v1/me/nodes/${node.id}/outcomes`;
    const res = await get(ada.token, path);
    expect(res.status).toBe(200);
    const body = (await res.json()) as NodeOutcomes;
    expect(body.next).toBeNull();
    const byUrl = new Map(body.outcomes.map((o) => [o.url, o]));
    expect(body.outcomes).toHaveLength(4);
    expect(byUrl.get('https://a.example/kept')).toMatchObject({
      key: `record:${recordOf(kept)}`,
      jobId: kept.jobId,
      campaignId: cmp,
      outcome: 'record',
      recordId: recordOf(kept),
      points: 1,
      pointsStatus: 'pending',
    });
    expect(byUrl.get('https://a.example/settled')).toMatchObject({
      outcome: 'record',
      pointsStatus: 'settled',
    });
    expect(byUrl.get('https://a.example/withdrawn')).toMatchObject({
      outcome: 'rejected',
      reason: 'node banned: fabrication',
      points: 1,
      pointsStatus: 'reversed',
    });
    expect(byUrl.get('https://a.example/dup')).toMatchObject({
      key: expect.stringMatching(/^duplicate:/),
      jobId: dup.jobId,
      outcome: 'duplicate',
      reason: `exact duplicate of ${recordOf(kept)}`,
      recordId: null,
      points: 0,
      pointsStatus: 'none',
    });
    // Oldest change first: the withdrawal and reversal came last.
    expect(body.outcomes.at(-1)!.url).toBe('https://a.example/withdrawn');
    const times = body.outcomes.map((o) => Date.parse(o.changedAt));
    expect([...times].sort((a, b) => a - b)).toEqual(times);

    // Not the owner: as if the node did not exist. No token: 401.
    expect((await get(bob.token, path)).status).toBe(404);
    expect((await get(ada.token, `/v1/me/nodes/nod_missing/outcomes`)).status).toBe(404);
    expect((await h.call('GET', path)).status).toBe(401);
    expect((await get(ada.token, `${path}?after=garbage`)).status).toBe(400);
    expect((await get(ada.token, `${path}?limit=0`)).status).toBe(400);

    // Pages of one, joined, are the whole list; `since` leaves out what changed before it.
    const paged: NodeOutcome[] = [];
    let after: string | null = '';
    while (after !== null) {
      const page = (await (
        await get(ada.token, `${path}?limit=1${after ? `&after=${encodeURIComponent(after)}` : ''}`)
      ).json()) as NodeOutcomes;
      paged.push(...page.outcomes);
      after = page.next;
    }
    expect(paged.map((o) => o.key)).toEqual(body.outcomes.map((o) => o.key));
    const late = (await (
      await get(ada.token, `${path}?since=${encodeURIComponent(everything.toISOString())}`)
    ).json()) as NodeOutcomes;
    expect(late.outcomes).toEqual([]);
  });

  it('answers the state of URLs the node fetched: failed with its code, rejected, waiting, done', async () => {
    const { owner, token } = await h.deps.accounts.createOwner('cy');
    const node = await h.deps.accounts.createNode(owner.id, 'pem', 'c1');
    const cmp = `cmp_${randomUUID().slice(0, 8)}`;
    await urlRow(cmp, 'https://c.example/404', 'failed', {
      errorCode: 'HTTP_ERROR',
      errorMessage: 'HTTP 404',
      httpStatus: 404,
    });
    await urlRow(cmp, 'https://c.example/away', 'failed', {
      errorCode: 'REDIRECT_OUT_OF_SCOPE',
      errorMessage: 'redirect to https://elsewhere.example/ is out of scope',
    });
    await urlRow(cmp, 'https://c.example/robots', 'skipped', { errorCode: 'ROBOTS_DISALLOWED' });
    await urlRow(cmp, 'https://c.example/queued', 'queued');
    await urlRow(cmp, 'https://c.example/done', 'done');
    const ask = (items: { campaignId: string; url: string }[]) =>
      h.call('POST', `/v1/me/nodes/${node.id}/outcomes/urls`, { token, body: { urls: items } });
    const res = await ask([
      ...['404', 'away', 'robots', 'queued', 'done', 'unknown'].map((p) => ({
        campaignId: cmp,
        url: `https://c.example/${p}`,
      })),
      { campaignId: 'cmp_other', url: 'https://c.example/404' },
    ]);
    expect(res.status).toBe(200);
    const byUrl = new Map(((await res.json()) as UrlOutcomes).urls.map((u) => [u.url, u]));
    expect([...byUrl.keys()].sort()).toEqual(
      ['404', 'away', 'done', 'queued', 'robots'].map((p) => `https://c.example/${p}`),
    );
    expect(byUrl.get('https://c.example/404')).toMatchObject({
      campaignId: cmp,
      outcome: 'failed',
      state: 'failed',
      errorCode: 'HTTP_ERROR',
      errorMessage: 'HTTP 404',
      httpStatus: 404,
    });
    expect(byUrl.get('https://c.example/away')).toMatchObject({
      outcome: 'rejected',
      errorCode: 'REDIRECT_OUT_OF_SCOPE',
    });
    expect(byUrl.get('https://c.example/robots')).toMatchObject({ outcome: 'rejected' });
    expect(byUrl.get('https://c.example/queued')).toMatchObject({ outcome: 'waiting', errorCode: null });
    expect(byUrl.get('https://c.example/done')).toMatchObject({ outcome: 'done' });

    const stranger = await h.deps.accounts.createOwner('dee');
    const refused = await h.call('POST', `/v1/me/nodes/${node.id}/outcomes/urls`, {
      token: stranger.token,
      body: { urls: [{ campaignId: cmp, url: 'https://c.example/404' }] },
    });
    expect(refused.status).toBe(404);
    expect((await ask([])).status).toBe(400);
    const tooMany = Array.from({ length: 101 }, (_, i) => ({
      campaignId: cmp,
      url: `https://c.example/${i}`,
    }));
    expect((await ask(tooMany)).status).toBe(400);
  });

  it('calls gateway refusals rejected and every other failure failed', () => {
    expect(urlOutcomeOf({ state: 'failed', errorCode: 'BAD_RESULT' })).toBe('rejected');
    expect(urlOutcomeOf({ state: 'failed', errorCode: 'TIMEOUT' })).toBe('failed');
    expect(urlOutcomeOf({ state: 'failed', errorCode: 'EMPTY_CONTENT' })).toBe('failed');
    expect(urlOutcomeOf({ state: 'failed', errorCode: null })).toBe('failed');
    expect(urlOutcomeOf({ state: 'cancelled', errorCode: null })).toBe('rejected');
    expect(urlOutcomeOf({ state: 'leased', errorCode: null })).toBe('waiting');
    expect(urlOutcomeOf({ state: 'duplicate', errorCode: null })).toBe('done');
  });
});
