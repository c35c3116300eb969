import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchTestChromium } from '@gleaner/testkit/chromium';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ContributorNode } from './contributor-node.js';
import { OwnerPoints } from './owner-points.js';
import { StatusServer } from './status-server.js';
import { TestGateway, testJob } from './test-gateway.js';
import { TestSite } from './test-site.js';

/** A raw request, so the Host and Origin headers can be set at will. */
function raw(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end(options.body);
    },
  );
}

describe('StatusServer', () => {
  let dir: string;
  let gateway: TestGateway;
  let site: TestSite;
  let node: ContributorNode;
  let server: StatusServer;
  let saved: unknown[];

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'status-'));
    [gateway, site] = await Promise.all([TestGateway.start(7), TestSite.start()]);
    node = await ContributorNode.create({
      identity: gateway.identity,
      dataDir: dir,
      controls: {
        concurrency: 2,
        bandwidth: 10 * 1024 * 1024,
        dailyQuota: 1024 ** 3,
        activeHours: '',
        deny: [],
      },
      fetcher: { allowPrivateNetwork: true, allowPorts: [site.port] },
    });
    node.start();
    saved = [];
    const points = new OwnerPoints({ coordinatorUrl: gateway.url, ownerToken: 'gow_test' });
    server = new StatusServer({
      node,
      dataDir: dir,
      port: 0,
      points: () => points.get(),
      onControls: (c) => void saved.push(c),
    });
    await server.listen();
  });
  afterEach(async () => {
    await server.close();
    await node.stop(1000);
    await Promise.all([gateway.close(), site.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses to listen anywhere but loopback', () => {
    expect(() => new StatusServer({ node, dataDir: dir, host: '0.0.0.0' })).toThrow(/loopback/);
  });

  it('checks the secret, the Host header and the origin of writes', async () => {
    expect((await raw(`${server.url}/api/status`)).status).toBe(401);
    expect((await raw(`${server.url}/api/status`, { headers: { 'x-gleaner-key': 'wrong' } })).status).toBe(
      401,
    );
    const key = { 'x-gleaner-key': server.key };
    expect(
      (await raw(`${server.url}/api/status`, { headers: { ...key, host: 'evil.example:80' } })).status,
    ).toBe(421);
    const status = await raw(`${server.url}/api/status`, { headers: key });
    expect(status.status).toBe(200);
    expect(JSON.parse(status.body)).toMatchObject({ nodeId: 'node-test', points: 7, paused: false });
    const forged = await raw(`${server.url}/api/pause`, {
      method: 'POST',
      headers: { ...key, origin: 'http://evil.example' },
    });
    expect(forged.status).toBe(403);
    const first = await raw(server.pageUrl);
    expect(first.status).toBe(303);
    expect(String(first.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
  });

  it('changes settings (validated) and reports them for saving', async () => {
    const headers = { 'x-gleaner-key': server.key, 'content-type': 'application/json' };
    const bad = await raw(`${server.url}/api/settings`, {
      method: 'POST',
      headers,
      body: '{"bandwidth":"fast"}',
    });
    expect(bad.status).toBe(400);
    const raise = await raw(`${server.url}/api/settings`, { method: 'POST', headers, body: '{"token":"x"}' });
    expect(raise.status).toBe(400);
    const good = await raw(`${server.url}/api/settings`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ bandwidth: '2MiB', deny: 'a.example, b.example', activeHours: '08:00-20:00' }),
    });
    expect(good.status).toBe(200);
    expect(node.controls).toMatchObject({
      bandwidth: 2 * 1024 ** 2,
      deny: ['a.example', 'b.example'],
      activeHours: '08:00-20:00',
    });
    expect(saved).toHaveLength(1);
  });

  describe('in Chromium', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchTestChromium();
    });
    afterAll(async () => {
      await browser.close();
    });

    it('shows the node, and pressing pause stops new jobs within a second', async () => {
      await expect.poll(() => node.status().connection).toBe('connected');
      // A steady stream of short jobs: 200 of them at 50 ms each.
      gateway.enqueue(
        ...Array.from({ length: 200 }, (_, i) => testJob(site.page(500, 50, String(i)), `j${i}`)),
      );
      const page = await browser.newPage();
      await page.goto(server.pageUrl);
      expect(new URL(page.url()).search).toBe(''); // the key left the address bar for a cookie
      await expect.poll(() => page.locator('#points').textContent()).toBe('7');
      await expect.poll(() => page.locator('#recent tr').count(), { timeout: 5000 }).toBeGreaterThan(3);
      expect(await page.locator('#state').textContent()).toContain('connected');

      await page.click('#pause');
      const pressedAt = Date.now();
      await expect.poll(() => page.locator('#state').getAttribute('data-paused')).toBe('true');
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const late = site.hits.filter((hit) => hit.at > pressedAt + 1000);
      expect(late).toEqual([]);
      expect(gateway.paused).toBe(true);
      const resultsWhilePaused = gateway.results.length;

      await page.click('#resume');
      await expect
        .poll(() => gateway.results.length, { timeout: 5000 })
        .toBeGreaterThan(resultsWhilePaused + 3);
      await page.close();
    }, 30_000);
  });
});
