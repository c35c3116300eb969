import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { sha256Hex } from '@gleaner/core';
import type { Campaign, CampaignList } from '@gleaner/contracts';
import { launchTestChromium } from '@gleaner/testkit/chromium';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './api-test-harness.js';

/*
 * The admin console in Chromium, over the real API on a loopback HTTP server (PGlite and redis-server behind it):
 * sign-in, the live campaign table with its stats and warnings, lifecycle buttons and the create form.
 */

let h: ApiHarness;
let server: Server;
let base: string;
let browser: Browser;

beforeAll(async () => {
  h = await startApiHarness();
  server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: h.app.fetch, hostname: '127.0.0.1', port: 0 }, () =>
      resolve(s as Server),
    ) as Server;
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchTestChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await h?.close();
});

const admin = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
  const response = await h.call(method, path, {
    token: h.adminToken,
    ...(body === undefined ? {} : { body }),
  });
  return (await response.json()) as T;
};

async function signedIn(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(`${base}/console`);
  await page.fill('#token', h.adminToken);
  await page.click('#signin-form button');
  await page.locator('#app').waitFor({ state: 'visible' });
  return { page, errors };
}

describe('the admin console', () => {
  it('is served with a strict Content-Security-Policy and holds no data before sign-in', async () => {
    const response = await fetch(`${base}/console`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).toMatch(/connect-src 'self'/);
    const html = await response.text();
    expect(html).not.toContain(h.adminToken);
    // A fresh nonce per response.
    const again = (await fetch(`${base}/console`)).headers.get('content-security-policy');
    expect(again).not.toBe(csp);
  });

  it('refuses a wrong token and shows why', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/console`);
    await page.fill('#token', 'not-the-admin-token');
    await page.click('#signin-form button');
    await expect.poll(() => page.textContent('#signin-error')).toBe('That admin token was refused.');
    expect(await page.isVisible('#app')).toBe(false);
    await page.close();
  });

  it('lists campaigns with live stats and warnings, and pauses, resumes and cancels them', async () => {
    const campaign = await admin<Campaign>('POST', '/v1/campaigns', {
      name: '<img src=x onerror="window.__pwned=1">',
      seeds: ['https://console.example/'],
    });
    await h.deps.urls.admit(campaign.id, [
      {
        url: 'https://console.example/a',
        urlHash: sha256Hex('console-a'),
        host: 'console.example',
        depth: 1,
      },
      {
        url: 'https://console.example/gone',
        urlHash: sha256Hex('console-g'),
        host: 'console.example',
        depth: 1,
      },
    ]);
    const queued = await h.deps.urls.list(campaign.id, { state: 'queued' });
    const gone = queued.find((r) => r.url.endsWith('/gone'));
    await h.deps.urls.markFailed(gone!.id, 'HTTP_ERROR', 'HTTP 404');
    const nodes = h.nodes.splice(0); // no node connected: the row says so
    try {
      const { page, errors } = await signedIn();
      const row = page.locator(`tr[data-campaign-id="${campaign.id}"]`);
      await expect.poll(() => row.locator('[data-field="status"]').textContent()).toBe('running');
      expect(await row.textContent()).toContain('no node is connected');
      // The name is text, not markup.
      expect(await row.locator('td').first().textContent()).toContain(
        '<img src=x onerror="window.__pwned=1">',
      );
      expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();

      // Its failures, with their reasons.
      await row.locator('button[data-action="details"]').click();
      await expect
        .poll(() => page.locator('#details-urls tr').allTextContents())
        .toEqual(['https://console.example/gonefailedHTTP_ERRORHTTP 4040']);

      await row.locator('button[data-action="pause"]').click();
      await expect
        .poll(async () => (await admin<Campaign>('GET', `/v1/campaigns/${campaign.id}`)).status)
        .toBe('paused');
      await expect.poll(() => row.locator('[data-field="status"]').textContent()).toBe('paused');
      expect(await row.locator('[data-field="warnings"]').textContent()).toBe(''); // paused: nothing to warn about
      await row.locator('button[data-action="resume"]').click();
      await expect.poll(() => row.locator('[data-field="status"]').textContent()).toBe('running');

      page.once('dialog', (dialog) => void dialog.accept());
      await row.locator('button[data-action="cancel"]').click();
      await expect.poll(() => row.locator('[data-field="status"]').textContent()).toBe('cancelled');
      expect(await row.locator('button:not([data-action="details"])').count()).toBe(0);
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      h.nodes.splice(0, h.nodes.length, ...nodes);
    }
  });

  it('creates campaigns from its form, and shows the API’s reason when one is refused', async () => {
    const { page, errors } = await signedIn();
    await page.fill('#name', 'from the console');
    await page.fill('#seeds', 'https://made.example/\nhttps://made.example/start');
    await page.selectOption('#render', 'auto');
    await page.fill('#maxPages', '25');
    await page.check('#draft');
    await page.click('#create-form button[type="submit"]');
    await expect.poll(() => page.textContent('#create-done')).toMatch(/^Created cmp_\S+ \(draft\)$/);
    const { campaigns } = await admin<CampaignList>('GET', '/v1/campaigns');
    const made = campaigns.find((c) => c.name === 'from the console');
    expect(made?.status).toBe('draft');
    expect(made?.spec.seeds).toEqual(['https://made.example/', 'https://made.example/start']);
    expect(made?.spec.maxPages).toBe(25);
    expect(made?.spec.render).toBe('auto');
    const row = page.locator(`tr[data-campaign-id="${made?.id}"]`);
    await row.locator('button[data-action="start"]').click();
    await expect.poll(() => row.locator('[data-field="status"]').textContent()).toBe('running');

    // No seeds: the API refuses, and the console shows its message.
    await page.fill('#name', 'no seeds');
    await page.click('#create-form button[type="submit"]');
    await expect.poll(() => page.textContent('#create-error')).toMatch(/seed/i);
    expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
    await page.close();
  });
});
