import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignStats as Stats, SiteRemovalBody } from '@gleaner/contracts';
import { waitFor } from '@gleaner/testkit';
import { startCrawlSystem, type CrawlSystem } from './crawl-system.js';

const REMOVED = '127.0.0.2';
const RESERVING = '127.0.0.5';
/** The token the owner of 127.0.0.2 publishes, once the test has it. */
let publishedToken = '';

describe('the choices site owners make, end to end with real processes', () => {
  let system: CrawlSystem;

  beforeAll(async () => {
    system = await startCrawlSystem('pglite', 2, 6, {
      files: {
        [RESERVING]: {
          '/.well-known/tdmrep.json': {
            contentType: 'application/json',
            body: () => JSON.stringify([{ location: '/p/1$', 'tdm-reservation': 1 }]),
          },
        },
        [REMOVED]: {
          '/.well-known/gleaner-removal.txt': {
            contentType: 'text/plain',
            body: () => `${publishedToken}\n`,
            status: () => (publishedToken ? 200 : 404),
          },
        },
      },
      // The removal's verification fetches the sample site, on loopback.
      env: () => ({ GLEANER_REMOVAL_ALLOW_PRIVATE_NETWORK: 'true' }),
    });
  }, 300_000);
  afterAll(async () => {
    await system?.stop();
  }, 60_000);

  const origin = (host: string) => system.site.origin(host);
  async function crawl(name: string): Promise<{ id: string; datasetId: string }> {
    const created = await system.api<{ id: string; datasetId: string }>(
      'POST',
      '/v1/campaigns',
      system.adminToken,
      {
        name,
        seeds: [`${origin(REMOVED)}/`, `${origin(RESERVING)}/`],
        scope: { mode: 'hosts', hosts: [REMOVED, RESERVING] },
        maxPages: 1000,
        maxDepth: 10,
        politeness: { minIntervalMs: 100, maxInFlight: 2 },
      },
    );
    expect(created.status).toBe(201);
    await waitFor(
      async () =>
        (await system.api<Stats>('GET', `/v1/campaigns/${created.body.id}/stats`, system.adminToken)).body
          .status === 'completed',
      { timeoutMs: 180_000, intervalMs: 500, what: `${name} completed` },
    );
    return created.body;
  }
  const urlRows = async (campaignId: string) =>
    (
      await system.db.pool.query<{ url: string; state: string; error_code: string | null }>(
        'select url, state, error_code from urls where campaign_id = $1',
        [campaignId],
      )
    ).rows;
  const recordHosts = async (datasetId: string) =>
    (
      await system.db.pool.query<{ host: string; site_signals: unknown }>(
        `select host, site_signals from records r where dataset_id = $1
         and not exists (select 1 from record_withdrawals w where w.record_id = r.id)`,
        [datasetId],
      )
    ).rows;

  it('honours a tdmrep.json fetched through the nodes, then removes a host at its owner’s request', async () => {
    const first = await crawl('site owners');
    const rows = await urlRows(first.id);
    const reserved = rows.find((row) => row.url === `${origin(RESERVING)}/p/1`);
    expect(reserved).toMatchObject({ state: 'skipped', error_code: 'TDM_RESERVED' });
    expect(
      system.site.requests.some((r) => r.host === RESERVING && r.path === '/.well-known/tdmrep.json'),
    ).toBe(true);
    const before = await recordHosts(first.datasetId);
    const removedCount = before.filter((row) => row.host.startsWith(`${REMOVED}:`)).length;
    expect(removedCount).toBeGreaterThan(0);
    expect(before.every((row) => row.site_signals !== null)).toBe(true);

    // The owner of 127.0.0.2 asks, publishes the token, and has it verified.
    const host = `${REMOVED}:${system.site.port}`;
    const asked = await system.api<SiteRemovalBody>('POST', '/v1/removals', '', { host });
    expect(asked.status).toBe(201);
    publishedToken = asked.body.token;
    const verified = await system.api<SiteRemovalBody>('POST', `/v1/removals/${asked.body.id}/verify`, '');
    expect(verified.body).toMatchObject({ state: 'verified', withdrawn: removedCount });
    const after = await recordHosts(first.datasetId);
    expect(after.some((row) => row.host.startsWith(`${REMOVED}:`))).toBe(false);
    expect(after.length).toBe(before.length - removedCount);

    // From then on no campaign fetches the host: its URLs are skipped before any fetch.
    // (Workers read the removed hosts at most 5 s old.)
    await new Promise((resolve) => setTimeout(resolve, 6000));
    const fetchedBefore = system.site.requests.filter((r) => r.host === REMOVED).length;
    const second = await crawl('after the removal');
    const secondRows = await urlRows(second.id);
    const ofRemoved = secondRows.filter((row) => row.url.startsWith(origin(REMOVED)));
    expect(ofRemoved.length).toBeGreaterThan(0);
    expect(ofRemoved.every((row) => row.state === 'skipped' && row.error_code === 'SITE_REMOVED')).toBe(true);
    expect(system.site.requests.filter((r) => r.host === REMOVED).length).toBe(fetchedBefore);
    expect((await recordHosts(second.datasetId)).some((row) => row.host.startsWith(`${REMOVED}:`))).toBe(
      false,
    );
  }, 480_000);
});
