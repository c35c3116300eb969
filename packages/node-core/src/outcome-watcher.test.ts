import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  NodeOutcomesSchema,
  UrlOutcomesBodySchema,
  UrlOutcomesSchema,
  type Earnings,
  type NodeOutcome,
  type UrlOutcome,
} from '@gleaner/contracts';
import { generateNodeKeyPair } from '@gleaner/core';
import { launchTestChromium } from '@gleaner/testkit/chromium';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContributorNode } from './contributor-node.js';
import { FetchLog, isOutcomeEntry, readFetchLog, type FetchLogEntry } from './fetch-log.js';
import { requestJson } from './json-request.js';
import { OutcomeWatcher } from './outcome-watcher.js';
import { OwnerEarnings, summarizeEarnings } from './owner-earnings.js';
import { StatusServer } from './status-server.js';

const TOKEN = 'gow_outcomes';
const NODE = 'nod_watch';

/**
 * The coordinator's outcome, earnings and epoch routes on loopback, answering from what the test puts in; every
 * answer passes the API's own schemas, and requests without the owner token or for another node are refused.
 */
class OutcomeCoordinator {
  outcomes: NodeOutcome[] = [];
  urls = new Map<string, UrlOutcome>();
  earnings: Earnings | undefined;
  epochs: { id: number; closedAt: string | null }[] = [];
  readonly requests: { method: string; url: URL; body: unknown }[] = [];
  url = '';
  readonly #server: Server;

  constructor() {
    this.#server = createServer((req, res) => void this.#handle(req, res));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of req as AsyncIterable<Buffer>) text += chunk.toString();
    const url = new URL(req.url ?? '/', this.url);
    const body: unknown = text ? JSON.parse(text) : undefined;
    this.requests.push({ method: req.method ?? 'GET', url, body });
    const reply = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (req.method === 'GET' && url.pathname === '/v1/epochs') {
      const epochs = this.epochs.map((e) => ({
        ...e,
        startsAt: new Date(0).toISOString(),
        endsAt: new Date(0).toISOString(),
        root: null,
        total: null,
      }));
      return reply(200, { epochs, next: null });
    }
    if (req.headers.authorization !== `Bearer ${TOKEN}`)
      return reply(401, { error: { message: 'bad token' } });
    if (req.method === 'GET' && url.pathname === '/v1/me/earnings') return reply(200, this.earnings);
    if (url.pathname.startsWith('/v1/me/nodes/') && !url.pathname.startsWith(`/v1/me/nodes/${NODE}/`))
      return reply(404, { error: { message: 'no such node of yours' } });
    if (req.method === 'GET' && url.pathname === `/v1/me/nodes/${NODE}/outcomes`) {
      const since = url.searchParams.get('since');
      const after = url.searchParams.get('after');
      const limit = Number(url.searchParams.get('limit') ?? 100);
      const sorted = this.outcomes
        .filter((o) => since === null || o.changedAt >= since)
        .sort((a, b) => a.changedAt.localeCompare(b.changedAt) || a.key.localeCompare(b.key));
      const start = after === null ? 0 : sorted.findIndex((o) => `${o.changedAt}|${o.key}` === after) + 1;
      const page = sorted.slice(start, start + limit);
      const last = page.at(-1);
      return reply(
        200,
        NodeOutcomesSchema.parse({
          outcomes: page,
          next: page.length === limit && last ? `${last.changedAt}|${last.key}` : null,
        }),
      );
    }
    if (req.method === 'POST' && url.pathname === `/v1/me/nodes/${NODE}/outcomes/urls`) {
      const asked = UrlOutcomesBodySchema.parse(body).urls;
      const known = asked.flatMap((a) => this.urls.get(`${a.campaignId} ${a.url}`) ?? []);
      return reply(200, UrlOutcomesSchema.parse({ urls: known }));
    }
    reply(404, { error: { message: 'no such route' } });
  }
}

const T0 = Date.parse('2026-12-03T12:00:00.000Z');

function fetched(jobId: string, url: string, atMs: number, errorCode?: string): FetchLogEntry {
  return {
    time: new Date(atMs).toISOString(),
    url,
    finalUrl: url,
    campaignId: 'cmp_a',
    jobId,
    status: errorCode ? 0 : 200,
    bytes: 100,
    totalMs: 10,
    ...(errorCode ? { errorCode } : {}),
  };
}

function recordOutcome(
  jobId: string,
  url: string,
  atMs: number,
  patch: Partial<NodeOutcome> = {},
): NodeOutcome {
  return {
    key: `record:rec_${jobId}`,
    changedAt: new Date(atMs).toISOString(),
    jobId,
    campaignId: 'cmp_a',
    url,
    finalUrl: url,
    fetchedAt: new Date(atMs).toISOString(),
    outcome: 'record',
    reason: null,
    recordId: `rec_${jobId}`,
    points: 1,
    pointsStatus: 'pending',
    ...patch,
  };
}

function urlState(url: string, outcome: UrlOutcome['outcome'], patch: Partial<UrlOutcome> = {}): UrlOutcome {
  return {
    campaignId: 'cmp_a',
    url,
    outcome,
    state: outcome === 'waiting' ? 'queued' : outcome === 'rejected' ? 'failed' : outcome,
    errorCode: null,
    errorMessage: null,
    httpStatus: null,
    updatedAt: new Date(T0 + 60_000).toISOString(),
    ...patch,
  };
}

describe('OutcomeWatcher', () => {
  let dir: string;
  let coordinator: OutcomeCoordinator;
  let now: number;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'outcomes-'));
    coordinator = await new OutcomeCoordinator().start();
    now = T0;
  });
  afterEach(async () => {
    await coordinator.close();
    await rm(dir, { recursive: true, force: true });
  });

  function watcher(log: FetchLog, token = TOKEN, nodeId = NODE): OutcomeWatcher {
    return new OutcomeWatcher({
      coordinatorUrl: coordinator.url,
      ownerToken: token,
      nodeId,
      append: (line) => log.append(line),
      askUrlAfterMs: 120_000,
      overlapMs: 600_000,
      now: () => now,
    });
  }

  const outcomeLines = async () => (await readFetchLog(dir, 100)).filter(isOutcomeEntry);

  it('logs each outcome and each change of its point once, and asks after fetches with none by URL', async () => {
    const log = new FetchLog({ dir });
    const w = watcher(log);
    const fetches = [
      fetched('j1', 'https://a.example/1', T0),
      fetched('j2', 'https://a.example/2', T0),
      fetched('j3', 'https://a.example/3', T0, 'TIMEOUT'),
      fetched('j4', 'https://a.example/4', T0),
      fetched('j5', 'https://a.example/5', T0),
      fetched('j6', 'https://a.example/robots.txt', T0),
    ];
    for (const f of fetches) {
      await log.append(f);
      w.noteFetch(f);
    }
    coordinator.outcomes = [recordOutcome('j1', 'https://a.example/1', T0 + 1000)];
    coordinator.urls.set(
      'cmp_a https://a.example/2',
      urlState('https://a.example/2', 'failed', {
        errorCode: 'HTTP_ERROR',
        errorMessage: 'HTTP 404',
        httpStatus: 404,
      }),
    );
    coordinator.urls.set('cmp_a https://a.example/4', urlState('https://a.example/4', 'done'));
    coordinator.urls.set('cmp_a https://a.example/5', urlState('https://a.example/5', 'waiting'));

    await w.poll();
    expect(w.lastError).toBeUndefined();
    expect((await outcomeLines()).map((l) => [l.jobId, l.outcome, l.pointsStatus])).toEqual([
      ['j1', 'record', 'pending'],
    ]);
    // Too early to ask by URL; the node's own failure (j3) is never asked about.
    expect(coordinator.requests.filter((r) => r.method === 'POST')).toEqual([]);
    expect(w.waiting).toBe(4);

    now = T0 + 180_000;
    coordinator.outcomes = [
      recordOutcome('j1', 'https://a.example/1', T0 + 150_000, { pointsStatus: 'settled' }),
    ];
    await w.poll();
    const asked = coordinator.requests.filter((r) => r.method === 'POST');
    expect(asked).toHaveLength(1);
    expect((asked[0]!.body as { urls: { url: string }[] }).urls.map((u) => u.url).sort()).toEqual([
      'https://a.example/2',
      'https://a.example/4',
      'https://a.example/5',
      'https://a.example/robots.txt',
    ]);
    expect((await outcomeLines()).map((l) => [l.jobId, l.outcome, l.errorCode, l.pointsStatus])).toEqual([
      ['j1', 'record', undefined, 'pending'],
      ['j1', 'record', undefined, 'settled'],
      ['j2', 'failed', 'HTTP_ERROR', 'none'],
    ]);
    expect((await outcomeLines())[2]).toMatchObject({ httpStatus: 404, reason: 'HTTP 404', points: 0 });

    // A URL finished without an outcome of this node's is a no-record on the second look; one still queued waits.
    await w.poll();
    const lines = await outcomeLines();
    expect(lines.map((l) => [l.jobId, l.outcome])).toEqual([
      ['j1', 'record'],
      ['j1', 'record'],
      ['j2', 'failed'],
      ['j4', 'no-record'],
    ]);
    expect(w.waiting).toBe(1);
    // The second poll asked again from the latest change it saw, less the overlap.
    const gets = coordinator.requests.filter((r) => r.method === 'GET');
    expect(gets.at(-1)!.url.searchParams.get('since')).toBe(new Date(T0 + 150_000 - 600_000).toISOString());
    expect(w.recent().map((l) => l.jobId)).toEqual(['j4', 'j2', 'j1', 'j1']);
  });

  it('picks up after a restart from the log without writing a line twice, and pages through many', async () => {
    const log = new FetchLog({ dir });
    const first = watcher(log);
    coordinator.outcomes = Array.from({ length: 1200 }, (_, i) =>
      recordOutcome(`k${i}`, `https://b.example/${i}`, T0 + i),
    );
    await first.poll();
    expect(await readFetchLog(dir, 5000).then((l) => l.length)).toBe(1200);
    // More than one page: 500 at a time.
    expect(coordinator.requests.filter((r) => r.method === 'GET')).toHaveLength(3);

    const second = watcher(log);
    second.resume(await readFetchLog(dir, 5000));
    coordinator.outcomes.push(
      recordOutcome('k0', 'https://b.example/0', T0 + 5000, { outcome: 'rejected', pointsStatus: 'voided' }),
    );
    await second.poll();
    const lines = await outcomeLines();
    expect(await readFetchLog(dir, 5000).then((l) => l.length)).toBe(1201);
    expect(lines.at(-1)).toMatchObject({ jobId: 'k0', outcome: 'rejected', pointsStatus: 'voided' });
  });

  it('reports a refused poll and writes nothing', async () => {
    const log = new FetchLog({ dir });
    coordinator.outcomes = [recordOutcome('j1', 'https://a.example/1', T0)];
    const errors: unknown[] = [];
    const badToken = watcher(log, 'gow_wrong');
    badToken.on('poll-error', (e) => errors.push(e));
    await badToken.poll();
    expect(badToken.lastError).toMatch(/HTTP 401/);
    const otherNode = watcher(log, TOKEN, 'nod_someone_else');
    await otherNode.poll();
    expect(otherNode.lastError).toMatch(/HTTP 404/);
    expect(errors).toHaveLength(1);
    expect(await outcomeLines()).toEqual([]);
  });

  it("shows outcomes and the owner's earnings on the node's status API and page", async () => {
    const identity = { coordinatorUrl: coordinator.url, nodeId: NODE, ...generateNodeKeyPair() };
    const node = await ContributorNode.create({
      identity,
      dataDir: dir,
      controls: { concurrency: 1, bandwidth: 1024 * 1024, dailyQuota: 1024 ** 3, activeHours: '', deny: [] },
      fetcher: { allowPrivateNetwork: true },
      outcomes: { ownerToken: TOKEN, intervalMs: 50 },
    });
    const today = new Date().toISOString().slice(0, 10);
    coordinator.earnings = {
      since: new Date(Date.now() - 86_400_000).toISOString(),
      rows: [
        {
          day: today,
          epochId: null,
          campaignId: 'cmp_a',
          nodeId: NODE,
          credited: 3,
          pending: 3,
          settled: 0,
          voided: 0,
          reversed: 0,
        },
        {
          day: '2026-12-01',
          epochId: 7,
          campaignId: 'cmp_a',
          nodeId: NODE,
          credited: 5,
          pending: 0,
          settled: 5,
          voided: 0,
          reversed: -1,
        },
        {
          day: '2026-11-30',
          epochId: 6,
          campaignId: 'cmp_a',
          nodeId: NODE,
          credited: 2,
          pending: 0,
          settled: 2,
          voided: 0,
          reversed: 0,
        },
      ],
      totals: { credited: 10, pending: 3, settled: 7, voided: 0, reversed: -1, balance: 6 },
    };
    coordinator.epochs = [{ id: 6, closedAt: new Date().toISOString() }];
    coordinator.outcomes = [recordOutcome('j9', 'https://c.example/9', Date.now())];
    const earnings = new OwnerEarnings({ coordinatorUrl: coordinator.url, ownerToken: TOKEN });
    const server = new StatusServer({ node, dataDir: dir, port: 0, earnings: () => earnings.get() });
    await server.listen();
    try {
      // Only the watcher runs: the node is not connected to a gateway here.
      node.outcomes!.start();
      await expect.poll(() => node.status().outcomes.length).toBe(1);
      const status = await requestJson(`${server.url}/api/status`, {
        headers: { 'x-gleaner-key': server.key },
      });
      expect(status.body).toMatchObject({
        outcomes: [{ kind: 'outcome', jobId: 'j9', outcome: 'record', points: 1, pointsStatus: 'pending' }],
        earnings: {
          today: { credited: 3, pending: 3 },
          epoch: { id: 7, settled: 4 },
          pending: 3,
          balance: 6,
        },
        outcomesError: null,
      });
      expect((await outcomeLines()).map((l) => l.jobId)).toEqual(['j9']);

      // The page shows them: earnings today and in the open epoch, and the outcome's row.
      const browser = await launchTestChromium();
      try {
        const page = await browser.newPage();
        await page.goto(server.pageUrl);
        await expect.poll(() => page.locator('#today').textContent()).toBe('3 today (3 pending)');
        expect(await page.locator('#epoch').textContent()).toBe('this epoch (#7): 4 settled');
        expect(await page.locator('#balance').textContent()).toBe('balance 6 · 3 pending in all');
        await expect.poll(() => page.locator('#outcomes tr').count()).toBe(1);
        expect(await page.locator('#outcomes tr td').allTextContents()).toEqual([
          expect.any(String),
          'record',
          '1 pending',
          'https://c.example/9',
          '',
        ]);
      } finally {
        await browser.close();
      }
    } finally {
      await server.close();
      await node.stop(100);
    }
  }, 30_000);

  it('sums earnings for today and the open epoch', () => {
    const earnings: Earnings = {
      since: '2026-12-01T00:00:00.000Z',
      rows: [
        {
          day: '2026-12-03',
          epochId: 12,
          campaignId: null,
          nodeId: 'n1',
          credited: 4,
          pending: 1,
          settled: 3,
          voided: 0,
          reversed: 0,
        },
        {
          day: '2026-12-03',
          epochId: null,
          campaignId: null,
          nodeId: 'n2',
          credited: 2,
          pending: 2,
          settled: 0,
          voided: 0,
          reversed: 0,
        },
        {
          day: '2026-12-02',
          epochId: 12,
          campaignId: null,
          nodeId: 'n1',
          credited: 6,
          pending: 0,
          settled: 6,
          voided: 0,
          reversed: -2,
        },
        {
          day: '2026-12-01',
          epochId: 11,
          campaignId: null,
          nodeId: 'n1',
          credited: 9,
          pending: 0,
          settled: 9,
          voided: 0,
          reversed: 0,
        },
      ],
      totals: { credited: 21, pending: 3, settled: 18, voided: 0, reversed: -2, balance: 16 },
    };
    expect(summarizeEarnings(earnings, 12, T0)).toEqual({
      today: { credited: 6, pending: 3 },
      epoch: { id: 12, settled: 7 },
      pending: 3,
      balance: 16,
    });
    // No epoch listed yet: the latest one anything settled in.
    expect(summarizeEarnings(earnings, null, T0).epoch).toEqual({ id: 12, settled: 7 });
    expect(summarizeEarnings({ ...earnings, rows: [] }, null, T0).epoch).toBeNull();
  });
});
