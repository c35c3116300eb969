import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignStats as Stats } from '@gleaner/contracts';
import { pageParagraphs } from '@gleaner/sample-site';
import { waitFor } from '@gleaner/testkit';
import { startCrawlSystem, type CrawlSystem } from './crawl-system.js';

/** A small site: the lifecycle is under test here, not scale. */
const PAGES_PER_HOST = 12;
const HOSTS = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'];
/** Paths the site serves that are not pages. */
const FILES = new Set(['/robots.txt', '/.well-known/tdmrep.json', '/sitemap-index.xml', '/sitemap-1.xml.gz']);
/** A page whose text only a script writes: an app shell to a plain fetch. */
const APP_PATH = '/app';
const APP_WORDS = pageParagraphs('rendered-by-script', 3).join(' ');
const APP_HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Rendered app</title></head>
<body><div id="root"></div><noscript>You need to enable JavaScript to run this app.</noscript>
<script>document.getElementById('root').innerHTML = '<article><h1>Rendered app</h1><p>' + ${JSON.stringify(APP_WORDS)} + '</p></article>';</script>
</body></html>`;

/** A page that answers 500 until {@link flakyStatus} changes: a server error that passes between rounds. */
const FLAKY_HOST = '127.0.0.4';
const FLAKY_PATH = '/flaky';
const FLAKY_HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Flaky page</title></head>
<body><article><h1>Flaky page</h1><p>${pageParagraphs('flaky-page', 3).join('</p><p>')}</p></article></body></html>`;
let flakyStatus = 500;

describe('campaign lifecycle end to end: recrawls, pause, resume and cancel', () => {
  let system: CrawlSystem;
  let labKey: string;

  const stats = async (id: string) =>
    (await system.api<Stats>('GET', `/v1/campaigns/${id}/stats`, system.adminToken)).body;
  const pageRequests = () => system.site.requests.filter((r) => !FILES.has(r.path));
  /**
   * After a pause or cancel: lets in-flight fetches finish (the gateway's status cache holds for at most a second),
   * then checks that no page request arrives for 3 s; returns the request count.
   */
  const quietAfterSettling = async () => {
    await new Promise((r) => setTimeout(r, 2500));
    const settled = pageRequests().length;
    await new Promise((r) => setTimeout(r, 3000));
    expect(pageRequests().length).toBe(settled);
    return settled;
  };
  const feed = async (datasetId: string, cursor: string) => {
    const response = await fetch(
      new URL(`/v1/datasets/${datasetId}/records?limit=1000${cursor ? `&cursor=${cursor}` : ''}`, system.url),
      { headers: { authorization: `Bearer ${labKey}` } },
    );
    expect(response.status).toBe(200);
    const lines = (await response.text()).split('\n').filter(Boolean);
    return {
      records: lines.map((l) => JSON.parse(l) as { id: string; url: string; version: number; text: string }),
      cursor: response.headers.get('gleaner-next-cursor') ?? cursor,
    };
  };
  const create = async (name: string, extra: Record<string, unknown>) => {
    const created = await system.api<{ id: string; datasetId: string }>(
      'POST',
      '/v1/campaigns',
      system.adminToken,
      {
        name,
        seeds: [system.site.seedUrl()],
        scope: { mode: 'hosts', hosts: HOSTS },
        maxPages: 10_000,
        maxDepth: 100,
        ...extra,
      },
    );
    expect(created.status).toBe(201);
    return created.body;
  };

  beforeAll(async () => {
    system = await startCrawlSystem('pglite', 3, PAGES_PER_HOST, {
      files: {
        '127.0.0.2': { [APP_PATH]: { contentType: 'text/html; charset=utf-8', body: () => APP_HTML } },
        [FLAKY_HOST]: {
          [FLAKY_PATH]: {
            contentType: 'text/html; charset=utf-8',
            body: () => FLAKY_HTML,
            status: () => flakyStatus,
          },
        },
      },
      // This test counts every request the site gets; redundant fetches (trust.e2e.test.ts) would add to them.
      env: () => ({ GLEANER_REDUNDANCY_PROBATION: '0', GLEANER_REDUNDANCY_STEADY: '0' }),
    });
    const key = await system.api<{ key: string }>('POST', '/v1/api-keys', system.adminToken, { name: 'lab' });
    labKey = key.body.key;
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('recrawls on its schedule: a 304 keeps an unchanged page’s record, a changed page gets a new version in the feed', async () => {
    const flakyUrl = `http://${FLAKY_HOST}:${system.site.port}${FLAKY_PATH}`;
    const campaign = await create('recrawl', {
      seeds: [system.site.seedUrl(), flakyUrl],
      politeness: { minIntervalMs: 100, maxInFlight: 2 },
      recrawl: { intervalMs: 1500, rounds: 1 },
    });
    await waitFor(async () => (await stats(campaign.id)).nextRecrawlAt !== null, {
      timeoutMs: 120_000,
      what: 'first round completed with a recrawl planned',
    });
    const first = await stats(campaign.id);
    expect(first.status).toBe('completed');
    expect(first.round).toBe(0);
    const { rows: before } = await system.db.pool.query<{ url: string; url_id: string }>(
      'select url, url_id from records where campaign_id = $1 order by url',
      [campaign.id],
    );
    expect(before.length).toBeGreaterThan(20);
    const { rows: duplicateUrls } = await system.db.pool.query<{ url: string; original: string }>(
      'select d.url, r.url as original from duplicates d join records r on r.id = d.original_record_id where d.campaign_id = $1',
      [campaign.id],
    );
    // Two pages change before the recrawl (two that no other URL repeats); everything else stays as it was.
    const repeated = new Set(duplicateUrls.map((d) => d.original));
    const unique = before.filter((r) => !repeated.has(r.url));
    const changed = [unique[0]!.url, unique[Math.floor(unique.length / 2)]!.url];
    for (const url of changed) system.site.revise(new URL(url).hostname, new URL(url).pathname);
    // A URL that answered 5xx is asked for again in the next round (this time it works); those that answered 404
    // are not.
    const { rows: failedRows } = await system.db.pool.query<{ url: string; error_message: string }>(
      `select url, error_message from urls where campaign_id = $1 and state = 'failed' and error_code = 'HTTP_ERROR'`,
      [campaign.id],
    );
    expect(failedRows.filter((r) => r.error_message === 'HTTP 500').map((r) => r.url)).toEqual([flakyUrl]);
    expect(failedRows.filter((r) => r.error_message === 'HTTP 404').length).toBeGreaterThan(0);
    flakyStatus = 200;
    const { cursor: feedEnd } = await feed(campaign.datasetId, '');
    const roundStart = Date.now();
    const roundOneRequestsFrom = system.site.requests.length;

    await waitFor(
      async () => {
        const s = await stats(campaign.id);
        return s.round === 1 && s.status === 'completed';
      },
      { timeoutMs: 120_000, what: 'the recrawl round completed' },
    );
    const second = await stats(campaign.id);
    expect(second.nextRecrawlAt).toBeNull();
    expect(second.urls.queued + second.urls.leased + second.urls.fetched).toBe(0);

    // Every page that made a record, or was a duplicate, was asked for again, conditionally, exactly once; the page
    // that answered 500 was asked again, plainly, and answered; nothing else was (no 404 URL).
    const roundOne = system.site.requests.slice(roundOneRequestsFrom).filter((r) => r.at >= roundStart - 100);
    const key = (u: string) => `${new URL(u).hostname}${new URL(u).pathname}`;
    const pages = roundOne.filter((r) => !FILES.has(r.path));
    const refetched = pages.filter((r) => r.path !== FLAKY_PATH);
    const expected = [...before.map((r) => key(r.url)), ...duplicateUrls.map((r) => key(r.url))].sort();
    expect(refetched.map((r) => `${r.host}${r.path}`).sort()).toEqual(expected);
    expect(refetched.every((r) => r.conditional)).toBe(true);
    const changedKeys = new Set(changed.map(key));
    for (const r of refetched)
      expect(r.status, `${r.host}${r.path}`).toBe(changedKeys.has(`${r.host}${r.path}`) ? 200 : 304);
    expect(pages.filter((r) => r.path === FLAKY_PATH).map((r) => [r.status, r.conditional])).toEqual([
      [200, false],
    ]);
    // The sitemaps are read again in the new round.
    expect(
      roundOne
        .filter((r) => r.path.startsWith('/sitemap'))
        .map((r) => r.path)
        .sort(),
    ).toEqual(['/sitemap-1.xml.gz', '/sitemap-index.xml']);

    // The changed pages have a second version; the others kept their one record; the flaky page has its first.
    const { rows: versions } = await system.db.pool.query<{ url: string; n: string; max: number }>(
      'select url, count(*) as n, max(version) as max from records where campaign_id = $1 group by url',
      [campaign.id],
    );
    for (const row of versions) {
      const isChanged = changed.includes(row.url);
      expect(Number(row.n), row.url).toBe(isChanged ? 2 : 1);
      expect(row.max, row.url).toBe(isChanged ? 2 : 1);
    }
    expect(versions.length).toBe(before.length + 1);
    expect(versions.map((r) => r.url)).toContain(flakyUrl);

    // A lab reading on from where it stopped gets exactly the two new versions, with the new text, and the page
    // that answered this time.
    const fresh = await feed(campaign.datasetId, feedEnd);
    expect(fresh.records.map((r) => r.url).sort()).toEqual([...changed, flakyUrl].sort());
    const revised = fresh.records.filter((r) => r.url !== flakyUrl);
    expect(revised.every((r) => r.version === 2 && r.text.includes('revision-1'))).toBe(true);
    expect(fresh.records.find((r) => r.url === flakyUrl)?.version).toBe(1);

    // Points: one per record, versions included, per node.
    const { rows: perNode } = await system.db.pool.query<{
      node_id: string;
      records: string;
      points: string;
    }>(
      `select r.node_id, count(*) as records, coalesce(sum(p.points), 0) as points
         from records r left join points_ledger p on p.record_id = r.id
        where r.campaign_id = $1 group by r.node_id`,
      [campaign.id],
    );
    for (const row of perNode) expect(Number(row.points)).toBe(Number(row.records));
    expect(second.points).toBe(before.length + changed.length + 1);
  });

  it('renders only the pages that need it under render auto: an app shell is fetched again in Chromium', async () => {
    const renderer = await system.addNode(['--render']);
    const nodeId = String((await renderer.waitForEvent('started')).nodeId);
    const from = system.site.requests.length;
    const appUrl = `${system.site.origin('127.0.0.2')}${APP_PATH}`;
    const campaign = await create('render auto', {
      seeds: [system.site.seedUrl(), appUrl],
      render: 'auto',
      politeness: { minIntervalMs: 100, maxInFlight: 2 },
    });
    await waitFor(async () => (await stats(campaign.id)).status === 'completed', {
      timeoutMs: 120_000,
      what: 'the render-auto campaign completed',
    });
    const requests = system.site.requests.slice(from).filter((r) => !FILES.has(r.path));
    // The shell twice (plain, then Chromium); every ordinary page once.
    expect(requests.filter((r) => r.path === APP_PATH)).toHaveLength(2);
    const others = requests.filter((r) => r.path !== APP_PATH).map((r) => `${r.host}${r.path}`);
    expect(new Set(others).size).toBe(others.length);
    const { rows } = await system.db.pool.query<{ text: string; node_id: string }>(
      'select text, node_id from records where campaign_id = $1 and url = $2',
      [campaign.id, appUrl],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.text).toContain(APP_WORDS.slice(0, 200));
    expect(rows[0]!.node_id).toBe(nodeId);
    const { rows: flagged } = await system.db.pool.query<{ url: string }>(
      'select url from urls where campaign_id = $1 and needs_render',
      [campaign.id],
    );
    expect(flagged.map((r) => r.url)).toEqual([appUrl]);
    await renderer.stop(5000);
  });

  it('narrows content types per campaign: the node refuses other types at the headers', async () => {
    const campaign = await create('plain text only', {
      maxDepth: 0,
      allowedContentTypes: ['text/plain'],
      politeness: { minIntervalMs: 100, maxInFlight: 2 },
    });
    await waitFor(async () => (await stats(campaign.id)).status === 'completed', {
      timeoutMs: 60_000,
      what: 'the narrowed campaign completed',
    });
    const failed = await system.api<{ urls: { url: string; errorCode: string }[] }>(
      'GET',
      `/v1/campaigns/${campaign.id}/urls?state=failed`,
      system.adminToken,
    );
    expect(failed.body.urls.map((u) => [u.url, u.errorCode])).toEqual([
      [system.site.seedUrl(), 'BAD_CONTENT_TYPE'],
    ]);
    expect((await stats(campaign.id)).records).toBe(0);
  });

  it('stops crawler traps within their caps: an endless calendar, an endless search, a relative-link loop', async () => {
    const origin = system.site.origin('127.0.0.4');
    const year = new Date().getUTCFullYear();
    const from = system.site.requests.length;
    const campaign = await create('traps', {
      seeds: [`${origin}/trap/calendar/${year}/01`, `${origin}/trap/search?q=0`, `${origin}/trap/loop/`],
      scope: { mode: 'hosts', hosts: ['127.0.0.4'] },
      include: ['/trap/'],
      maxPages: 100_000,
      maxDepth: 100,
      politeness: { minIntervalMs: 100, maxInFlight: 2 },
    });
    await waitFor(async () => (await stats(campaign.id)).status === 'completed', {
      timeoutMs: 120_000,
      what: 'the trap campaign completed',
    });
    const seen = system.site.requests
      .slice(from)
      .filter((r) => r.host === '127.0.0.4' && r.path.startsWith('/trap/'));
    // The calendar stops at the end of the year window (two years ahead), the search at 100 variants of its path,
    // the loop once a segment repeats a third time.
    const months = seen.filter((r) => r.path.startsWith('/trap/calendar/'));
    expect(months).toHaveLength(36);
    expect(months.every((r) => Number(r.path.split('/')[3]) <= year + 2)).toBe(true);
    expect(seen.filter((r) => r.path === '/trap/search')).toHaveLength(100);
    expect(
      seen
        .filter((r) => r.path.startsWith('/trap/loop/'))
        .map((r) => r.path)
        .sort(),
    ).toEqual(['/trap/loop/', '/trap/loop/a/', '/trap/loop/a/a/']);
    const skipped = await system.api<{ urls: { url: string; errorCode: string }[] }>(
      'GET',
      `/v1/campaigns/${campaign.id}/urls?state=skipped&host=${new URL(origin).host}&limit=1000`,
      system.adminToken,
    );
    const reasons = new Set(skipped.body.urls.map((u) => u.errorCode));
    expect([...reasons].sort()).toEqual(['TRAP_CALENDAR', 'TRAP_QUERY_VARIANTS', 'TRAP_REPEATED_SEGMENT']);
    expect(skipped.body.urls.find((u) => u.errorCode === 'TRAP_CALENDAR')?.url).toBe(
      `${origin}/trap/calendar/${year + 3}/01`,
    );
  });

  it('pauses (no new fetches within seconds), resumes, and cancels (nothing more is fetched or completed)', async () => {
    // One request a second per host keeps the campaign running long enough to act on it mid-crawl.
    const campaign = await create('lifecycle', { politeness: { minIntervalMs: 1000, maxInFlight: 1 } });
    const from = pageRequests().length;
    await waitFor(() => pageRequests().length - from >= 6, { timeoutMs: 60_000, what: 'six pages fetched' });

    expect((await system.api('POST', `/v1/campaigns/${campaign.id}/pause`, system.adminToken)).status).toBe(
      200,
    );
    const paused = await quietAfterSettling();
    const whilePaused = await stats(campaign.id);
    expect(whilePaused.status).toBe('paused');
    // Nothing is in flight any more, and what was fetched is counted in bytes.
    expect(whilePaused.urls.leased).toBe(0);
    expect(whilePaused.fetchedBytes).toBeGreaterThan(6 * 1000);

    expect((await system.api('POST', `/v1/campaigns/${campaign.id}/resume`, system.adminToken)).status).toBe(
      200,
    );
    await waitFor(() => pageRequests().length >= paused + 3, { timeoutMs: 30_000, what: 'fetching again' });

    expect((await system.api('POST', `/v1/campaigns/${campaign.id}/cancel`, system.adminToken)).status).toBe(
      200,
    );
    await quietAfterSettling();
    const after = await stats(campaign.id);
    expect(after.status).toBe('cancelled');
    expect(after.urls.queued + after.urls.leased + after.urls.fetched).toBe(0);
    expect(after.urls.cancelled).toBeGreaterThan(0);
    // A cancelled campaign stays cancelled: it neither resumes nor completes.
    expect((await system.api('POST', `/v1/campaigns/${campaign.id}/resume`, system.adminToken)).status).toBe(
      409,
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect((await stats(campaign.id)).status).toBe('cancelled');
  });
});
