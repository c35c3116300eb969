import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignStats as Stats } from '@gleaner/contracts';
import { canaryPageHtml } from '@gleaner/trust';
import { waitFor } from '@gleaner/testkit';
import type { GatewayClient } from '@gleaner/node-core';
import { FABRICATION_MARK, registerNode, startFabricator, startHoarder } from './adversary-nodes.js';
import { startCrawlSystem, type CrawlSystem } from './crawl-system.js';

const PAGES_PER_HOST = 24;
const HOSTS = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'];
/** Canary pages are served by the sample site's off-scope host, which no campaign reaches. */
const CANARY_HOST = '127.0.0.9';
const CANARY_PATHS = ['/notes/1', '/notes/2', '/notes/3'];
const CANARY_SECRET = 'e2e-canary-secret-0123456789';

/** One run: three honest nodes and a fabricator, with or without a hoarder, on dynamic pages. */
interface TrustRun {
  system: CrawlSystem;
  campaign: { id: string; datasetId: string };
  fabricator: { nodeId: string; ownerId: string; client: GatewayClient };
  hoarder?: { nodeId: string; stop(): void; received(): number };
  /** From start to completion, ms. */
  durationMs: number;
}

async function runCampaign(withHoarder: boolean): Promise<TrustRun> {
  const files = {
    [CANARY_HOST]: Object.fromEntries(
      CANARY_PATHS.map((p) => [
        p,
        {
          contentType: 'text/html; charset=utf-8',
          body: (origin: string) => canaryPageHtml(CANARY_SECRET, `${origin}${p}`, Date.now()),
        },
      ]),
    ),
  };
  const system = await startCrawlSystem('pglite', 3, PAGES_PER_HOST, {
    files,
    dynamic: true,
    env: (site) => ({
      GLEANER_SETTLE_HOLD_MS: '1500',
      GLEANER_SETTLE_EVERY_MS: '500',
      GLEANER_CANARY_URLS: CANARY_PATHS.map((p) => `${site.origin(CANARY_HOST)}${p}`).join(','),
      GLEANER_CANARY_SECRET: CANARY_SECRET,
      // Short job limits, so that a lease a node lets lapse comes back within seconds: a node that has not proven
      // itself has the job's time limit and 2 s to answer (15 s against a 30 s limit by default).
      GLEANER_JOB_TIMEOUT_MS: '4000',
      GLEANER_PROBATION_DEADLINE_MS: '6000',
    }),
  });
  const addOwner = async (name: string) =>
    (await system.api<{ id: string; token: string }>('POST', '/v1/owners', system.adminToken, { name })).body;
  const fabricatorOwner = await addOwner('fabricator');
  const fabricatorIdentity = await registerNode(
    system.url,
    fabricatorOwner.token,
    path.join(system.dir, 'fabricator'),
    'fabricator',
  );
  const fabricator = startFabricator(fabricatorIdentity);
  let hoarder: TrustRun['hoarder'];
  if (withHoarder) {
    const owner = await addOwner('hoarder');
    const identity = await registerNode(system.url, owner.token, path.join(system.dir, 'hoarder'), 'hoarder');
    hoarder = { nodeId: identity.nodeId, ...startHoarder(identity) };
  }
  await new Promise((r) => setTimeout(r, 1000));
  const started = Date.now();
  const created = await system.api<{ id: string; datasetId: string }>(
    'POST',
    '/v1/campaigns',
    system.adminToken,
    {
      name: `trust ${withHoarder ? 'with' : 'without'} a hoarder`,
      seeds: [system.site.seedUrl()],
      scope: { mode: 'hosts', hosts: HOSTS },
      maxPages: 100_000,
      maxDepth: 100,
      discoverSitemaps: false,
      politeness: { minIntervalMs: 200, maxInFlight: 2 },
    },
  );
  expect(created.status).toBe(201);
  const campaign = created.body;
  await waitFor(
    async () =>
      (await system.api<Stats>('GET', `/v1/campaigns/${campaign.id}/stats`, system.adminToken)).body
        .status === 'completed',
    { timeoutMs: 240_000, intervalMs: 250, what: 'completion' },
  );
  return {
    system,
    campaign,
    fabricator: { nodeId: fabricatorIdentity.nodeId, ownerId: fabricatorOwner.id, client: fabricator.client },
    ...(hoarder ? { hoarder } : {}),
    durationMs: Date.now() - started,
  };
}

async function stopRun(run: TrustRun | undefined): Promise<void> {
  if (!run) return;
  run.hoarder?.stop();
  await run.fabricator.client.stop(0);
  await run.system.stop();
}

describe('trust end to end: honest nodes, a fabricator and a hoarder on dynamic pages', () => {
  let baseline: TrustRun;
  let run: TrustRun;

  beforeAll(async () => {
    // Side by side, so that both campaigns run on the same machine load: the ratio of their times is what counts.
    [baseline, run] = await Promise.all([runCampaign(false), runCampaign(true)]);
    console.info(
      `trust e2e: ${baseline.durationMs} ms without the hoarder, ${run.durationMs} ms with it ` +
        `(${(run.durationMs / baseline.durationMs).toFixed(2)}×)`,
    );
    await stopRun(baseline);
  }, 600_000);

  afterAll(async () => {
    await stopRun(run);
  }, 60_000);

  const query = async <T extends object>(sql: string, params: unknown[] = []) =>
    (await run.system.db.pool.query<T>(sql, params)).rows;

  it('bans the fabricator, and no honest node', async () => {
    await waitFor(
      async () =>
        (
          await query<{ standing: string }>('select standing from nodes where id = $1', [
            run.fabricator.nodeId,
          ])
        )[0]?.standing === 'banned',
      { timeoutMs: 30_000, what: 'the fabricator banned' },
    );
    const honest = await query<{ standing: string }>(
      "select standing from nodes where name like 'node-%' and standing = 'banned'",
    );
    expect(honest).toEqual([]);
  });

  it("voids the fabricator's points and withdraws every record of its, each with a tombstone in the feed", async () => {
    await waitFor(
      async () =>
        (
          await query<{ n: string }>(
            "select count(*) as n from points_ledger where node_id = $1 and status <> 'voided'",
            [run.fabricator.nodeId],
          )
        )[0]?.n === '0',
      { timeoutMs: 30_000, what: "the fabricator's points voided" },
    );
    const records = await query<{ id: string }>('select id from records where node_id = $1', [
      run.fabricator.nodeId,
    ]);
    const withdrawn = await query<{ record_id: string }>(
      'select record_id from record_withdrawals where record_id = any($1)',
      [records.map((r) => r.id)],
    );
    expect(withdrawn.length).toBe(records.length);
    const key = await run.system.api<{ key: string }>('POST', '/v1/api-keys', run.system.adminToken, {
      name: 'lab',
      scopes: ['datasets:read'],
    });
    const lines: { type: string; id: string; text?: string }[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await fetch(
        new URL(
          `/v1/datasets/${run.campaign.datasetId}/records?limit=1000${cursor ? `&cursor=${cursor}` : ''}`,
          run.system.url,
        ),
        { headers: { 'x-api-key': key.body.key } },
      );
      const text = await page.text();
      const batch = text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { type: string; id: string; text?: string });
      lines.push(...batch);
      cursor = page.headers.get('gleaner-next-cursor') ?? undefined;
      if (batch.length === 0 || !cursor) break;
    }
    const live = lines.filter((l) => l.type === 'record');
    expect(live.length).toBeGreaterThan(20);
    expect(live.filter((l) => l.text?.includes(FABRICATION_MARK))).toEqual([]);
    const tombstones = new Set(lines.filter((l) => l.type === 'tombstone').map((l) => l.id));
    for (const record of records) expect(tombstones.has(record.id)).toBe(true);
  });

  it('never gave the hoarder more than its slow-start slots, and the hoarder stalled nothing', () => {
    expect(run.hoarder!.received()).toBeLessThanOrEqual(3);
    expect(run.durationMs).toBeLessThanOrEqual(baseline.durationMs * 1.5);
  });

  it('settles honest points, and keeps settled + pending + voided = credited for every owner', async () => {
    await waitFor(
      async () =>
        (
          await query<{ n: string }>(
            "select count(distinct owner_id) as n from points_ledger where status = 'settled' and node_id <> $1",
            [run.fabricator.nodeId],
          )
        )[0]?.n === '3',
      { timeoutMs: 60_000, what: 'every honest owner with settled points' },
    );
    // One point was credited per record ever accepted (withdrawn ones included), and every credit is in exactly one
    // of the three states.
    const owners = await query<{ owner_id: string; records: string; credited: string }>(
      `select r.owner_id, r.records, l.credited
         from (select owner_id, count(*) as records from records group by owner_id) r
         join (select owner_id, sum(points) filter (where reverses is null) as credited
                 from points_ledger group by owner_id) l on l.owner_id = r.owner_id`,
    );
    expect(owners.length).toBeGreaterThanOrEqual(3);
    for (const row of owners) {
      expect(row.credited).toBe(row.records);
    }
    const states = await query<{
      owner_id: string;
      pending: string;
      settled: string;
      voided: string;
      credited: string;
    }>(
      `select owner_id,
              coalesce(sum(points) filter (where status = 'pending' and reverses is null), 0) as pending,
              coalesce(sum(points) filter (where status = 'settled' and reverses is null), 0) as settled,
              coalesce(sum(points) filter (where status = 'voided' and reverses is null), 0) as voided,
              coalesce(sum(points) filter (where reverses is null), 0) as credited
         from points_ledger group by owner_id`,
    );
    for (const row of states) {
      expect(Number(row.pending) + Number(row.settled) + Number(row.voided)).toBe(Number(row.credited));
    }
  });
});
