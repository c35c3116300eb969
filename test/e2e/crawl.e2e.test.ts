import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import WebSocket from 'ws';
import type { CampaignStats as Stats } from '@gleaner/contracts';
import { authMessage, generateNodeKeyPair, PROTOCOL_VERSION, signMessage } from '@gleaner/core';
import { verifySnapshot } from '@gleaner/snapshot';
import { waitFor } from '@gleaner/testkit';
import type { SitePage } from '@gleaner/sample-site';
import { startServiceProcess } from '@gleaner/supervisor';
import {
  CRAWL_DELAY_MS,
  entry,
  SITEMAP_PATHS,
  startCrawlSystem,
  type CrawlSystem,
  type DatabaseKind,
} from './crawl-system.js';

const PAGES_PER_HOST = 80;
/** The campaign's per-host floor between requests, ms (short, to keep the test quick). */
const PACE_MS = 250;
/**
 * Slack for the time between the gateway's grant and the request's arrival at the site, as a share of the floor:
 * the floor holds exactly where slots are granted; on a loaded two-core machine a node can take this long to put
 * the request on the wire. The mean gap must still be at least the floor.
 */
const ARRIVAL_JITTER = 0.5;

describe.each<DatabaseKind>(['pglite', 'postgres'])('a campaign end to end on %s', (kind) => {
  let system: CrawlSystem;
  let campaign: { id: string; datasetId: string };
  let reachable: SitePage[];
  const hosts = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'];

  beforeAll(async () => {
    system = await startCrawlSystem(kind, 3, PAGES_PER_HOST);
    reachable = system.site.reachable(
      Number.POSITIVE_INFINITY,
      SITEMAP_PATHS.map((path) => ({ host: '127.0.0.3', path })),
    );
    const created = await system.api<{ id: string; datasetId: string }>(
      'POST',
      '/v1/campaigns',
      system.adminToken,
      {
        name: `e2e ${kind}`,
        seeds: [system.site.seedUrl()],
        scope: { mode: 'hosts', hosts },
        maxPages: 100_000,
        maxDepth: 100,
        politeness: { minIntervalMs: PACE_MS, maxInFlight: 2 },
      },
    );
    expect(created.status).toBe(201);
    campaign = created.body;

    const stats = () => system.api<Stats>('GET', `/v1/campaigns/${campaign.id}/stats`, system.adminToken);
    const finished = (s: Stats) => s.urls.done + s.urls.duplicate + s.urls.failed;
    // Fault 1: kill -9 a node while it holds leases.
    await waitFor(async () => finished((await stats()).body) >= reachable.length * 0.2, {
      timeoutMs: 120_000,
      what: '20% done',
    });
    system.nodes[0]!.child.kill('SIGKILL');
    // Fault 2: kill the worker in mid-crawl and start a new one.
    await waitFor(async () => finished((await stats()).body) >= reachable.length * 0.45, {
      timeoutMs: 120_000,
      what: '45% done',
    });
    system.worker.child.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 500));
    await system.startWorker();
    await waitFor(async () => (await stats()).body.status === 'completed', {
      timeoutMs: 240_000,
      intervalMs: 500,
      what: 'completion',
    });
  }, 420_000);

  afterAll(async () => {
    await system?.stop();
  }, 60_000);

  const urlOf = (page: { host: string; path: string }) => `${system.site.origin(page.host)}${page.path}`;

  it('ends every reachable in-scope URL as exactly one record or one recorded failure', async () => {
    const { rows: urls } = await system.db.pool.query<{
      url: string;
      state: string;
      error_code: string | null;
    }>('select url, state, error_code from urls where campaign_id = $1', [campaign.id]);
    expect(urls.length).toBe(reachable.length);
    const byUrl = new Map(urls.map((u) => [u.url, u]));
    const { rows: records } = await system.db.pool.query<{ url: string }>(
      'select url from records where campaign_id = $1',
      [campaign.id],
    );
    const { rows: dups } = await system.db.pool.query<{ url: string }>(
      'select url from duplicates where campaign_id = $1',
      [campaign.id],
    );
    const recordUrls = new Set(records.map((r) => r.url));
    const dupUrls = new Set(dups.map((r) => r.url));
    expect(recordUrls.size).toBe(records.length);
    expect(dupUrls.size).toBe(dups.length);
    for (const page of reachable) {
      const url = urlOf(page);
      const row = byUrl.get(url);
      expect(row, url).toBeDefined();
      const outcomes =
        Number(recordUrls.has(url)) +
        Number(dupUrls.has(url)) +
        Number(row!.state === 'failed' || row!.state === 'skipped');
      expect(outcomes, `${url} (${page.kind})`).toBe(1);
      if (system.site.isDisallowed(page)) {
        expect(row!.state, url).toBe('skipped');
        expect(row!.error_code).toBe('ROBOTS');
      } else if (page.kind === 'not-found' || page.kind === 'server-error') {
        expect(row!.state).toBe('failed');
        expect(row!.error_code).toBe('HTTP_ERROR');
      } else {
        expect(['done', 'duplicate']).toContain(row!.state);
      }
    }
  });

  it('records each duplicate once, linked to the one record of its content', async () => {
    const { rows } = await system.db.pool.query<{ url: string; original_url: string }>(
      `select d.url, r.url as original_url from duplicates d join records r on r.id = d.original_record_id
       where d.campaign_id = $1`,
      [campaign.id],
    );
    const contentKey = (page: SitePage) => `${page.host}${page.duplicateOf ?? page.path}`;
    const pageByUrl = new Map(reachable.map((p) => [urlOf(p), p]));
    const duplicatePages = reachable.filter((p) => p.kind === 'duplicate');
    expect(duplicatePages.length).toBeGreaterThan(10);
    for (const row of rows) {
      const dup = pageByUrl.get(row.url)!;
      const original = pageByUrl.get(row.original_url)!;
      expect(contentKey(dup)).toBe(contentKey(original));
    }
    const groups = new Map<string, number>();
    for (const page of reachable.filter(
      (p) => (p.kind === 'page' || p.kind === 'duplicate') && !system.site.isDisallowed(p),
    )) {
      groups.set(contentKey(page), (groups.get(contentKey(page)) ?? 0) + 1);
    }
    const expectedDuplicates = [...groups.values()].reduce((sum, n) => sum + n - 1, 0);
    expect(rows.length).toBe(expectedDuplicates);
  });

  it('sent no request outside the campaign scope', () => {
    const outside = system.site.requests.filter((r) => !hosts.includes(r.host));
    expect(outside).toEqual([]);
    const fetchable = new Set(
      reachable.filter((p) => !system.site.isDisallowed(p)).map((p) => `${p.host}${p.path}`),
    );
    const files = new Set([
      '/robots.txt',
      '/.well-known/tdmrep.json',
      '/sitemap-index.xml',
      '/sitemap-1.xml.gz',
    ]);
    const pages = system.site.requests.filter((r) => !files.has(r.path));
    expect(pages.filter((r) => !fetchable.has(`${r.host}${r.path}`))).toEqual([]);
  });

  it('read the sitemaps robots.txt lists (an index, then a gzipped URL set) and crawled the pages only they name', async () => {
    for (const path of ['/sitemap-index.xml', '/sitemap-1.xml.gz']) {
      expect(system.site.requests.filter((r) => r.host === '127.0.0.3' && r.path === path).length, path).toBe(
        1,
      );
    }
    const { rows } = await system.db.pool.query<{ url: string }>(
      "select url from records where campaign_id = $1 and url like '%/orphan/%'",
      [campaign.id],
    );
    expect(rows.map((r) => new URL(r.url).pathname).sort()).toEqual(['/orphan/0', '/orphan/1', '/orphan/2']);
  });

  it('honoured robots.txt: asked each host once, fetched no disallowed page, skipped them with reason ROBOTS', async () => {
    for (const host of hosts) {
      expect(
        system.site.requests.filter((r) => r.host === host && r.path === '/robots.txt').length,
        host,
      ).toBe(1);
    }
    const disallowed = reachable.filter((p) => system.site.isDisallowed(p));
    expect(disallowed.length).toBeGreaterThan(3);
    const { rows } = await system.db.pool.query<{ n: string }>(
      "select count(*) as n from urls where campaign_id = $1 and state = 'skipped' and error_code = 'ROBOTS'",
      [campaign.id],
    );
    expect(Number(rows[0]!.n)).toBe(disallowed.length);
    const listed = await system.api<{ urls: { url: string }[] }>(
      'GET',
      `/v1/campaigns/${campaign.id}/urls?state=skipped&host=127.0.0.4:${system.site.port}&limit=1000`,
      system.adminToken,
    );
    expect(listed.body.urls.length).toBe(disallowed.filter((p) => p.host === '127.0.0.4').length);
  });

  it('kept every host within its pace: never two requests closer than the floor, never more than 2 in flight', () => {
    for (const host of hosts) {
      const floor = host === '127.0.0.2' ? CRAWL_DELAY_MS : PACE_MS;
      const requests = system.site.requests.filter((r) => r.host === host).sort((a, b) => a.at - b.at);
      expect(requests.length).toBeGreaterThan(10);
      for (let i = 1; i < requests.length; i++) {
        const [a, b] = [requests[i - 1]!, requests[i]!];
        expect(b.at - a.at, `${host}: ${a.path} then ${b.path}`).toBeGreaterThanOrEqual(
          floor * (1 - ARRIVAL_JITTER),
        );
      }
      const span = requests.at(-1)!.at - requests[0]!.at;
      expect(span / (requests.length - 1), `${host} mean gap`).toBeGreaterThanOrEqual(floor * 0.95);
      const events = requests.flatMap((r) => [
        { t: r.at, d: 1 },
        { t: r.doneAt, d: -1 },
      ]);
      events.sort((a, b) => a.t - b.t || a.d - b.d);
      let inFlight = 0;
      for (const e of events) {
        inFlight += e.d;
        expect(inFlight).toBeLessThanOrEqual(2);
      }
    }
  });

  it('credits points equal to the accepted records, per node', async () => {
    const { rows } = await system.db.pool.query<{ node_id: string; records: string; points: string }>(
      `select r.node_id, count(*) as records,
              (select coalesce(sum(points), 0) from points_ledger p where p.node_id = r.node_id) as points
       from records r where r.campaign_id = $1 group by r.node_id`,
      [campaign.id],
    );
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) expect(Number(row.points)).toBe(Number(row.records));
    const { rows: total } = await system.db.pool.query<{ n: string }>(
      'select count(*) as n from points_ledger p join records r on r.id = p.record_id where r.campaign_id = $1',
      [campaign.id],
    );
    const { rows: recs } = await system.db.pool.query<{ n: string }>(
      'select count(*) as n from records where campaign_id = $1',
      [campaign.id],
    );
    expect(total[0]!.n).toBe(recs[0]!.n);
    for (const owner of system.owners) {
      const me = await system.api<{ points: number }>('GET', '/v1/me', owner.token);
      const { rows: mine } = await system.db.pool.query<{ n: string }>(
        'select count(*) as n from records where owner_id = $1',
        [owner.id],
      );
      expect(me.body.points).toBe(Number(mine[0]!.n));
    }
  });

  it('gives a lab exactly the records in the database, page by page with its cursor', async () => {
    const key = await system.api<{ id: string; key: string }>('POST', '/v1/api-keys', system.adminToken, {
      name: 'lab',
    });
    expect(key.status).toBe(201);
    const seen: string[] = [];
    let cursor = '';
    for (let page = 0; page < 1000; page++) {
      const response = await fetch(
        new URL(
          `/v1/datasets/${campaign.datasetId}/records?limit=37${cursor ? `&cursor=${cursor}` : ''}`,
          system.url,
        ),
        { headers: { authorization: `Bearer ${key.body.key}` } },
      );
      expect(response.status).toBe(200);
      const lines = (await response.text()).split('\n').filter(Boolean);
      const next = response.headers.get('gleaner-next-cursor')!;
      for (const line of lines) seen.push((JSON.parse(line) as { id: string }).id);
      if (lines.length === 0) break;
      cursor = next;
    }
    const { rows } = await system.db.pool.query<{ id: string }>(
      'select id from records where campaign_id = $1',
      [campaign.id],
    );
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(rows.map((r) => r.id).sort());

    const summary = await system.api<{ records: number; hosts: Record<string, number> }>(
      'GET',
      `/v1/datasets/${campaign.datasetId}`,
      key.body.key,
    );
    expect(summary.body.records).toBe(rows.length);
    expect(Object.keys(summary.body.hosts).length).toBe(4);

    const missing = await fetch(new URL(`/v1/datasets/${campaign.datasetId}/records`, system.url));
    expect(missing.status).toBe(401);
    const wrong = await system.api('GET', `/v1/datasets/${campaign.datasetId}/records`, 'glk_not-a-real-key');
    expect(wrong.status).toBe(401);
    expect(
      (await system.api('DELETE', `/v1/api-keys/${key.body.id}`, system.adminToken)).status,
    ).toBeLessThan(300);
    const revoked = await system.api('GET', `/v1/datasets/${campaign.datasetId}/records`, key.body.key);
    expect(revoked.status).toBe(401);
  });

  it('holds a key to its daily quota across two coordinator processes: 429 with Retry-After from both', async () => {
    const other = await startServiceProcess(
      'coordinator-2',
      entry('coordinator'),
      [],
      system.env,
      system.logDir,
    );
    try {
      const otherUrl = String((await other.waitForEvent('listening')).url);
      const key = await system.api<{ key: string }>('POST', '/v1/api-keys', system.adminToken, {
        name: 'quota',
        recordsPerDay: 3,
      });
      expect(key.status).toBe(201);
      const read = (base: string, limit: number) =>
        fetch(new URL(`/v1/datasets/${campaign.datasetId}/records?limit=${limit}`, base), {
          headers: { authorization: `Bearer ${key.body.key}` },
        });
      const recordsIn = async (response: Response) =>
        (await response.text()).split('\n').filter((line) => line.includes('"type":"record"')).length;
      // Two of the day's three records from one coordinator, and the other cuts its page to the one left.
      const first = await read(system.url, 2);
      expect(first.status).toBe(200);
      expect(await recordsIn(first)).toBe(2);
      const second = await read(otherUrl, 5);
      expect(second.status).toBe(200);
      expect(await recordsIn(second)).toBe(1);
      for (const base of [system.url, otherUrl]) {
        const refused = await read(base, 1);
        expect(refused.status).toBe(429);
        const retryAfter = Number(refused.headers.get('retry-after'));
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(86_400);
      }
    } finally {
      await other.stop();
    }
  });

  it('cuts a snapshot holding exactly the live records, which DuckDB reads and verification passes', async () => {
    // A lab's webhook receiver on loopback, which checks every delivery's Standard Webhooks signature.
    const received: { type: string; data: { snapshotId: string; merkleRoot: string } }[] = [];
    let secret = '';
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        try {
          received.push(
            new Webhook(secret).verify(
              Buffer.concat(chunks).toString('utf8'),
              req.headers as Record<string, string>,
            ) as (typeof received)[number],
          );
          res.writeHead(204).end();
        } catch {
          res.writeHead(400).end();
        }
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hook = await system.api<{ secret: string }>('POST', '/v1/webhooks', system.adminToken, {
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`,
      events: ['snapshot.published', 'records.withdrawn'],
    });
    expect(hook.status).toBe(201);
    secret = hook.body.secret;
    const cut = await system.api<{ id: string; state: string }>(
      'POST',
      `/v1/datasets/${campaign.datasetId}/snapshots`,
      system.adminToken,
    );
    expect(cut.status).toBe(202);
    const key = await system.api<{ key: string }>('POST', '/v1/api-keys', system.adminToken, {
      name: 'snap',
    });
    let snapshot:
      | {
          state: string;
          records: number | null;
          merkleRoot: string | null;
          feedCursor: string;
          files: { path: string }[];
        }
      | undefined;
    await waitFor(
      async () => {
        snapshot = (
          await system.api<typeof snapshot>(
            'GET',
            `/v1/datasets/${campaign.datasetId}/snapshots/${cut.body.id}`,
            key.body.key,
          )
        ).body;
        return snapshot?.state === 'published';
      },
      { timeoutMs: 60_000, intervalMs: 250, what: 'the snapshot published' },
    );
    const { rows } = await system.db.pool.query<{ n: string; urls: string; robots: string[] }>(
      `select count(*) as n, count(distinct url) as urls, array_agg(distinct robots) as robots
         from records r where dataset_id = $1
          and not exists (select 1 from record_withdrawals w where w.record_id = r.id)`,
      [campaign.datasetId],
    );
    expect(snapshot!.records).toBe(Number(rows[0]!.n));
    // Every record says how robots.txt allowed it (every sample host has a robots.txt).
    expect(rows[0]!.robots).toEqual(['allowed']);
    const folder = path.join(system.env.GLEANER_SNAPSHOT_DIR!, campaign.datasetId, cut.body.id);
    const signer = await system.api<{ publicKey: string }>('GET', '/v1/signing-key', system.adminToken);
    expect(await verifySnapshot(folder, { signerPublicKeyPem: signer.body.publicKey })).toMatchObject({
      ok: true,
      records: Number(rows[0]!.n),
    });
    const duck = await (await DuckDBInstance.create(':memory:')).connect();
    const read = await duck.runAndReadAll(
      `select count(*)::int as n, count(distinct url)::int as urls from read_parquet('${folder}/data/*.parquet')`,
    );
    expect(read.getRowObjectsJS()).toEqual([{ n: Number(rows[0]!.n), urls: Number(rows[0]!.urls) }]);
    duck.closeSync();
    await waitFor(async () => received.length > 0, {
      timeoutMs: 15_000,
      what: 'the snapshot.published webhook',
    });
    expect(received).toEqual([
      {
        type: 'snapshot.published',
        data: expect.objectContaining({ snapshotId: cut.body.id, merkleRoot: snapshot!.merkleRoot }),
        timestamp: expect.any(String),
      },
    ]);

    // An admin withdraws a record: the next snapshot leaves it out and lists it, the feed carries its tombstone, and
    // the lab hears of it.
    const { rows: some } = await system.db.pool.query<{ id: string }>(
      'select id from records where dataset_id = $1 order by seq limit 1',
      [campaign.datasetId],
    );
    const withdrawnId = some[0]!.id;
    const withdrawal = await system.api(
      'POST',
      `/v1/datasets/${campaign.datasetId}/records/${withdrawnId}/withdraw`,
      system.adminToken,
      { reason: 'takedown request' },
    );
    expect(withdrawal.status).toBe(200);
    const next = await system.api<{ id: string }>(
      'POST',
      `/v1/datasets/${campaign.datasetId}/snapshots`,
      system.adminToken,
    );
    let second: { state: string; previousId: string; changes: Record<string, number> } | undefined;
    await waitFor(
      async () => {
        second = (
          await system.api<typeof second>(
            'GET',
            `/v1/datasets/${campaign.datasetId}/snapshots/${next.body.id}`,
            key.body.key,
          )
        ).body;
        return second?.state === 'published';
      },
      { timeoutMs: 60_000, intervalMs: 250, what: 'the second snapshot published' },
    );
    expect(second!.previousId).toBe(cut.body.id);
    expect(second!.changes).toMatchObject({
      withdrawn: 1,
      added: 0,
      removed: 0,
      unchanged: Number(rows[0]!.n) - 1,
    });
    const secondFolder = path.join(system.env.GLEANER_SNAPSHOT_DIR!, campaign.datasetId, next.body.id);
    const changes = JSON.parse(await readFile(path.join(secondFolder, 'changes.json'), 'utf8')) as {
      withdrawn: string[];
    };
    expect(changes.withdrawn).toEqual([withdrawnId]);
    // From the first snapshot's cursor, the feed serves the withdrawal and nothing else.
    const after = await fetch(
      new URL(`/v1/datasets/${campaign.datasetId}/records?cursor=${snapshot!.feedCursor}`, system.url),
      { headers: { 'x-api-key': key.body.key } },
    );
    const lines = (await after.text())
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { type: string; id: string });
    expect(lines).toEqual([expect.objectContaining({ type: 'tombstone', id: withdrawnId })]);
    await waitFor(async () => received.some((event) => event.type === 'records.withdrawn'), {
      timeoutMs: 15_000,
      what: 'the records.withdrawn webhook',
    });
    receiver.close();
  });

  it('refuses a node whose signature does not verify', async () => {
    const real = generateNodeKeyPair();
    const registered = await system.api<{ nodeId: string }>('POST', '/v1/nodes', system.owners[1]!.token, {
      publicKey: real.publicKeyPem,
      name: 'impostor-target',
    });
    expect(registered.status).toBe(201);
    const impostor = generateNodeKeyPair();
    const wsUrl = `${system.url.replace('http', 'ws')}/v1/nodes/connect`;
    const close = await new Promise<{ code: number; reason: string }>((resolve) => {
      const ws = new WebSocket(wsUrl);
      ws.on('message', (data) => {
        const hello = JSON.parse(data.toString()) as { type: string; nonce: string };
        if (hello.type !== 'hello') return;
        ws.send(
          JSON.stringify({
            type: 'auth',
            protocol: PROTOCOL_VERSION,
            nodeId: registered.body.nodeId,
            version: 'test',
            signature: signMessage(impostor.privateKeyPem, authMessage(hello.nonce, registered.body.nodeId)),
            capabilities: { concurrency: 1, render: false },
          }),
        );
      });
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
    expect(close.code).toBe(4001);
    expect(close.reason).toMatch(/signature/);
  });
});
