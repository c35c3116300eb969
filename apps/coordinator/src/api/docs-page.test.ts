import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { serve } from '@hono/node-server';
import { launchTestChromium } from '@gleaner/testkit/chromium';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './api-test-harness.js';
import { DOCS_SCRIPT_PATH } from './docs-page.js';

/*
 * The API reference at /docs: Scalar's component over the real API's OpenAPI document, its script served by the
 * coordinator, in Chromium on a loopback HTTP server with every request the page makes recorded.
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

interface OpenApi {
  paths: Record<string, Record<string, { summary?: string }>>;
}

describe('the API reference at /docs', () => {
  it('is a page that loads its one script from the coordinator, under a CSP that allows nothing else', async () => {
    const res = await h.call('GET', '/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'(;|$)/);
    expect(csp).toMatch(/connect-src 'self'(;|$)/);
    expect(csp).not.toMatch(/unsafe-eval|https?:|\*/);
    const html = await res.text();
    const sources = [...html.matchAll(/<script[^>]*\ssrc="([^"]*)"/g)].map((m) => m[1]);
    expect(sources).toEqual([DOCS_SCRIPT_PATH]);
    expect(html).toContain('"url": "/openapi.json"');
    expect(html).not.toMatch(/<link|https?:\/\//i);
  });

  it('serves the bundle of the installed @scalar/api-reference, gzipped when asked, cacheable for good', async () => {
    const path = createRequire(import.meta.url).resolve('@scalar/api-reference/browser/standalone.js');
    const file = await readFile(path);
    const pkg = JSON.parse(await readFile(join(path, '../../../package.json'), 'utf8')) as {
      name: string;
      version: string;
    };
    expect(pkg.name).toBe('@scalar/api-reference');
    const { version } = pkg;
    expect(DOCS_SCRIPT_PATH).toBe(`/docs/assets/api-reference-${version}.js`);

    const plain = await h.call('GET', DOCS_SCRIPT_PATH, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(plain.headers.get('cache-control')).toContain('immutable');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(Buffer.from(await plain.arrayBuffer()).equals(file)).toBe(true);

    const zipped = await h.call('GET', DOCS_SCRIPT_PATH, { headers: { 'accept-encoding': 'gzip, br' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    const body = Buffer.from(await zipped.arrayBuffer());
    expect(body.length).toBeLessThan(file.length / 2);
    expect(gunzipSync(body).equals(file)).toBe(true);

    expect((await h.call('GET', '/docs/assets/api-reference-0.0.0.js')).status).toBe(404);
  });

  it('renders the real routes in Chromium, tries one, and sends no request beyond loopback', async () => {
    const context = await browser.newContext();
    const requests: string[] = [];
    context.on('request', (request) => requests.push(request.url()));
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(`${base}/docs`);
    await page.getByText('Gleaner coordinator API').first().waitFor({ timeout: 30_000 });

    // "Try it": the client sends the request from the page to this coordinator, no proxy in between. The click is
    // repeated until the client opens, since the reference may still be laying itself out under the first one.
    const tryHealth = page.getByRole('button', { name: /^Test Request.*get \/health\b/ }).first();
    const send = page.getByRole('button', { name: /^Send get request to .*\/health$/ });
    await expect
      .poll(
        async () => {
          if (!(await send.isVisible())) await tryHealth.click();
          return send.isVisible();
        },
        { timeout: 30_000, interval: 2_000 },
      )
      .toBe(true);
    await send.click();
    await page.getByText('"ok": true').last().waitFor({ timeout: 30_000 });
    await page.keyboard.press('Escape');

    // A route's summary, as the OpenAPI document words it, once its group is opened from the sidebar.
    const doc = (await (await h.call('GET', '/openapi.json')).json()) as OpenApi;
    const summary = doc.paths['/v1/datasets/{id}/snapshots']?.post?.summary ?? '';
    expect(summary).toMatch(/^Cut a snapshot/);
    await page.getByRole('button', { name: 'Snapshots' }).first().click();
    await page.getByText(summary).first().waitFor({ timeout: 30_000 });
    // The schemas, from the document's components.
    await page.getByRole('button', { name: 'Models' }).first().click();
    await page.getByText('CampaignSpec').first().waitFor({ timeout: 30_000 });
    expect(requests).toContain(`${base}/health`);

    // Give late requests (fonts, telemetry, assistants) a moment to show themselves.
    await page.waitForTimeout(1_000);
    const elsewhere = requests.filter((url) => {
      const { protocol, hostname } = new URL(url);
      return protocol !== 'data:' && protocol !== 'blob:' && !/^127\.\d+\.\d+\.\d+$/.test(hostname);
    });
    expect(elsewhere).toEqual([]);
    expect(requests).toContain(`${base}${DOCS_SCRIPT_PATH}`);
    expect(requests).toContain(`${base}/openapi.json`);
    // Nothing was refused by the CSP, nothing failed to load, nothing threw.
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);
});
