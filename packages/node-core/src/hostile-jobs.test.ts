import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Resolver } from '@gleaner/fetcher';
import { startHostileFixture, startRecordingServer, type FixtureServer } from '@gleaner/fetcher/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContributorNode } from './contributor-node.js';
import { fetchesOf, readFetchLog } from './fetch-log.js';
import { TestGateway, testJob } from './test-gateway.js';

/*
 * The whole node under hostile jobs: a real gateway connection on loopback sends jobs that point the node at private
 * space, bombs, drips and endless bodies on the hostile fixture. The fixture's own address (127.0.0.1) is the only
 * private one the node may reach; a recording server on 127.0.0.2 stands for the owner's network and must never see
 * a connection. Every job comes back with its code, is in the owner's fetch log, and the node then does a normal job.
 */

let site: FixtureServer;
let lan: FixtureServer;
let gateway: TestGateway;
let node: ContributorNode;
let dir: string;

/** Test DNS: names that resolve into private space, and one whose answer changes between lookups. */
const lookups = new Map<string, number>();
const resolve: Resolver = async (hostname) => {
  const n = (lookups.get(hostname) ?? 0) + 1;
  lookups.set(hostname, n);
  switch (hostname) {
    case 'private.test':
      return [{ address: '10.0.0.1', family: 4 }];
    case 'lan.test':
      return [{ address: '127.0.0.2', family: 4 }];
    case 'rebind.test': // the fixture first, the owner's network after
      return [{ address: n === 1 ? '127.0.0.1' : '127.0.0.2', family: 4 }];
    default:
      throw Object.assign(new Error(`no such host ${hostname}`), { code: 'ENOTFOUND' });
  }
};

beforeAll(async () => {
  site = await startHostileFixture('127.0.0.1');
  lan = await startRecordingServer('127.0.0.2', site.port);
  gateway = await TestGateway.start();
  dir = await mkdtemp(path.join(tmpdir(), 'node-hostile-'));
  node = await ContributorNode.create({
    identity: gateway.identity,
    dataDir: dir,
    controls: {
      concurrency: 2,
      bandwidth: 50 * 1024 * 1024,
      dailyQuota: 1024 ** 3,
      activeHours: '',
      deny: [],
    },
    fetcher: {
      allowAddresses: ['127.0.0.1'],
      allowPorts: [site.port],
      resolve,
      limits: {
        headersTimeoutMs: 1000,
        totalTimeoutMs: 4000,
        rateGraceMs: 500,
        minBytesPerSecond: 100,
        maxBodyBytes: 1024 * 1024,
        maxDecodedBytes: 4 * 1024 * 1024,
      },
    },
    gateway: { minBackoffMs: 50 },
  });
  node.start();
});

afterAll(async () => {
  await node.stop(1000);
  await Promise.all([gateway.close(), site.close(), lan.close()]);
  await rm(dir, { recursive: true, force: true });
});

describe('a node given hostile jobs', () => {
  it('refuses or caps each with its code, logs it, and then completes a normal job', async () => {
    await expect.poll(() => node.status().connection).toBe('connected');
    const port = site.port;
    const via = (target: string) => `${site.origin}/redirect?to=${encodeURIComponent(target)}`;
    const cases: [string, string][] = [
      [via(`http://127.0.0.2:${port}/ok`), 'BLOCKED_ADDRESS'],
      [via('http://169.254.169.254/latest/meta-data/'), 'BLOCKED_ADDRESS'],
      [via(`http://[::1]:${port}/ok`), 'BLOCKED_ADDRESS'],
      [via('http://10.0.0.1/'), 'BLOCKED_ADDRESS'],
      [via(`http://[::ffff:127.0.0.2]:${port}/ok`), 'BLOCKED_ADDRESS'],
      [via(`http://2130706434:${port}/ok`), 'BLOCKED_ADDRESS'], // 127.0.0.2 as one decimal number
      ['http://private.test/', 'BLOCKED_ADDRESS'],
      [`http://lan.test:${port}/ok`, 'BLOCKED_ADDRESS'],
      [`http://rebind.test:${port}/redirect?to=%2Fok`, 'BLOCKED_ADDRESS'],
      [`${site.origin}/chain/9`, 'TOO_MANY_REDIRECTS'],
      [`${site.origin}/gzip-bomb`, 'TOO_LARGE'],
      [`${site.origin}/br-bomb`, 'TOO_LARGE'],
      [`${site.origin}/zstd`, 'DECOMPRESSION_FAILED'],
      [`${site.origin}/endless`, 'TOO_LARGE'],
      [`${site.origin}/declared-huge`, 'TOO_LARGE'],
      [`${site.origin}/drip`, 'TOO_SLOW'],
      [`${site.origin}/no-headers`, 'TIMEOUT'],
      [`${site.origin}/huge-headers`, 'HEADERS_TOO_LARGE'],
      [`${site.origin}/binary`, 'BAD_CONTENT_TYPE'],
      [`http://127.0.0.1:8/ok`, 'BLOCKED_PORT'],
    ];
    gateway.enqueue(...cases.map(([url], i) => testJob(url, `hostile-${i}`)));
    await expect.poll(() => gateway.results.length, { timeout: 30_000 }).toBe(cases.length);
    const codes = new Map(gateway.results.map((r) => [r.jobId, r.error?.code ?? String(r.status)]));
    expect(cases.map(([url], i) => [url, codes.get(`hostile-${i}`)])).toEqual(cases);

    gateway.enqueue(testJob(`${site.origin}/ok`, 'normal'));
    await expect.poll(() => gateway.results.find((r) => r.jobId === 'normal')?.status).toBe(200);
    expect(lan.connections).toBe(0);
    expect(node.status().connection).toBe('connected');

    // The owner sees every one of them, with its code.
    await expect.poll(async () => (await readFetchLog(dir, 100)).length).toBe(cases.length + 1);
    const log = new Map(
      fetchesOf(await readFetchLog(dir, 100)).map((e) => [e.jobId, e.errorCode ?? String(e.status)]),
    );
    expect(cases.map((_, i) => log.get(`hostile-${i}`))).toEqual(cases.map(([, code]) => code));
    expect(log.get('normal')).toBe('200');
  }, 60_000);
});
