import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SafeFetchLimits } from '@gleaner/fetcher';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContributorNode, type OwnerControls } from './contributor-node.js';
import { fetchesOf, readFetchLog } from './fetch-log.js';
import { TestGateway, testJob } from './test-gateway.js';
import { TestSite } from './test-site.js';

const controls: OwnerControls = {
  concurrency: 2,
  bandwidth: 50 * 1024 * 1024,
  dailyQuota: 1024 ** 3,
  activeHours: '',
  deny: [],
};

describe('ContributorNode (real gateway and site on loopback)', () => {
  let dir: string;
  let gateway: TestGateway;
  let site: TestSite;
  let node: ContributorNode | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'node-'));
    [gateway, site] = await Promise.all([TestGateway.start(), TestSite.start()]);
  });
  afterEach(async () => {
    await node?.stop(1000);
    node = undefined;
    await Promise.all([gateway.close(), site.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  const startNode = async (
    over: Partial<OwnerControls> = {},
    now?: () => Date,
    limits?: Partial<SafeFetchLimits>,
  ) => {
    node = await ContributorNode.create({
      identity: gateway.identity,
      dataDir: dir,
      controls: { ...controls, ...over },
      fetcher: { allowPrivateNetwork: true, allowPorts: [site.port], ...(limits ? { limits } : {}) },
      gateway: { minBackoffMs: 50 },
      ...(now ? { now } : {}),
    });
    node.start();
    await expect.poll(() => node?.status().connection).toBe('connected');
    return node;
  };

  it('fetches jobs, logs each fetch and counts the bytes against the quota', async () => {
    const n = await startNode();
    gateway.enqueue(testJob(site.page(1000), 'a'), testJob(site.page(2000), 'b'));
    await expect.poll(() => gateway.results.length).toBe(2);
    await expect.poll(async () => (await readFetchLog(dir, 10)).length).toBe(2);
    const log = fetchesOf(await readFetchLog(dir, 10));
    expect(log.map((e) => [e.status, e.bytes, e.campaignId]).sort()).toEqual([
      [200, 1000, 'campaign-test'],
      [200, 2000, 'campaign-test'],
    ]);
    expect(n.status().today.usedBytes).toBe(3000);
    expect(n.status().recent).toHaveLength(2);
  });

  it('applies the stricter of the coordinator limits and the owner deny-list', async () => {
    await startNode({ deny: ['localhost'] });
    gateway.enqueue(testJob(site.page(1000).replace('127.0.0.1', 'localhost'), 'denied'));
    await expect.poll(() => gateway.results[0]?.error?.code).toBe('BLOCKED_DOMAIN');
    await node?.updateControls({ deny: [] });
    gateway.enqueue(testJob(site.page(5000), 'small-cap', { maxBodyBytes: 100 }));
    await expect.poll(() => gateway.results[1]?.error?.code).toBe('TOO_LARGE');
  });

  it('pauses itself and tells the gateway when the daily quota is used up', async () => {
    const n = await startNode({ dailyQuota: 3000 });
    gateway.enqueue(testJob(site.page(2000, 200), 'a'), testJob(site.page(2000), 'b'));
    await expect.poll(() => gateway.results.length).toBe(2);
    // 'a' reserved all that was left, so 'b' was handed back without a fetch.
    expect(gateway.results.map((r) => r.error?.code ?? r.status)).toEqual(['QUOTA_EXCEEDED', 200]);
    expect(site.hits).toHaveLength(1);
    gateway.enqueue(testJob(site.page(2000), 'c'));
    await expect.poll(() => gateway.results[2]?.error?.code).toBe('QUOTA_EXCEEDED');
    expect(n.status().today.usedBytes).toBe(3000);
    await expect.poll(() => gateway.paused).toBe(true);
    expect(n.status().pauseReasons).toContain('quota');
    gateway.enqueue(testJob(site.page(10), 'd'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(gateway.results).toHaveLength(3);
  });

  it('pauses outside its active hours', async () => {
    const n = await startNode({ activeHours: '09:00-17:00' }, () => new Date(2025, 0, 1, 20, 0));
    expect(n.status().pauseReasons).toEqual(['schedule']);
    await expect.poll(() => gateway.paused).toBe(true);
    await n.updateControls({ activeHours: '' });
    await expect.poll(() => gateway.paused).toBe(false);
  });

  it('on stop past its grace, cuts the running job and has logged and counted it before returning', async () => {
    const big = 64 * 1024 * 1024;
    const n = await startNode({ bandwidth: 512 * 1024 }, undefined, {
      maxBodyBytes: big,
      maxDecodedBytes: big,
    });
    gateway.enqueue(testJob(site.stream(big, 'long'), 'long', { maxBodyBytes: big, timeoutMs: 60_000 }));
    await expect
      .poll(() => n.status().today.usedBytes + site.sentBytes, { timeout: 5000 })
      .toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await n.stop(200);
    node = undefined;
    // Everything is on disk when stop returns: the cut fetch's log line and the bytes it used.
    const log = await readFetchLog(dir, 10);
    expect(log.map((e) => e.jobId)).toEqual(['long']);
    expect(log[0]?.errorCode).toBeDefined();
    const usage = JSON.parse(await readFile(path.join(dir, 'usage.json'), 'utf8')) as { bytes: number };
    expect(usage.bytes).toBeGreaterThan(0);
    expect(usage.bytes).toBe(n.status().today.usedBytes);
  });

  it('holds its bandwidth cap inside large downloads: within 10% over 20 s, measured at the server', async () => {
    const cap = 1024 * 1024;
    const big = 64 * 1024 * 1024;
    await startNode({ bandwidth: cap }, undefined, {
      maxBodyBytes: big,
      maxDecodedBytes: big,
      totalTimeoutMs: 60_000,
    });
    // Two 64 MiB bodies side by side, each far longer than the test at the cap: the cap must hold inside them.
    const limits = { maxBodyBytes: big, timeoutMs: 60_000 };
    gateway.enqueue(testJob(site.stream(big, 'a'), 'a', limits), testJob(site.stream(big, 'b'), 'b', limits));
    await expect.poll(() => site.sentBytes, { timeout: 5000 }).toBeGreaterThan(0);
    // The first second fills the loopback socket buffers (megabytes) and the bucket's one-second burst; from then on
    // the server can only send what the node reads.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const from = { bytes: site.sentBytes, at: performance.now() };
    await new Promise((resolve) => setTimeout(resolve, 20_000));
    const rate = (site.sentBytes - from.bytes) / ((performance.now() - from.at) / 1000);
    expect(rate).toBeLessThanOrEqual(cap * 1.1);
    // Below the cap only by what a loaded machine costs the reader; a node that starved would fall far lower.
    expect(rate).toBeGreaterThanOrEqual(cap * 0.8);
    expect(gateway.results).toEqual([]);
  }, 40_000);
});
