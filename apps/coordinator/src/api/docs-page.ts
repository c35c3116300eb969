import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { Scalar } from '@scalar/hono-api-reference';

/** The standalone bundle's file; the package exports it, but not its package.json, which sits three folders up. */
const BUNDLE_FILE = createRequire(import.meta.url).resolve('@scalar/api-reference/browser/standalone.js');
const BUNDLE_VERSION = (
  JSON.parse(readFileSync(join(BUNDLE_FILE, '../../../package.json'), 'utf8')) as { version: string }
).version;

/**
 * Where the coordinator serves the API reference's script: Scalar's standalone browser bundle, read from the
 * installed `@scalar/api-reference` package. The version in the path lets browsers keep it for good.
 */
export const DOCS_SCRIPT_PATH = `/docs/assets/api-reference-${BUNDLE_VERSION}.js`;

/** Options of {@link registerDocsPage}. */
export interface DocsPageOptions {
  /** Path of the OpenAPI document the reference renders. Default `/openapi.json`. */
  openApiPath?: string;
  /** Title of the page. Default `Gleaner coordinator API`. */
  pageTitle?: string;
}

interface Bundle {
  plain: Buffer;
  gzipped: Buffer;
}

interface Page {
  html: string;
  csp: string;
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/**
 * The page's Content-Security-Policy: scripts only from this origin (the bundle) plus the page's own inline start-up
 * scripts, named by hash; requests only to this origin (the OpenAPI document and "try it" calls). Scalar sets
 * styles at run time, hence `'unsafe-inline'` for styles alone.
 */
function docsCsp(inlineScripts: string[]): string {
  return [
    "default-src 'none'",
    `script-src 'self' ${inlineScripts.map(sha256).join(' ')}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Serves the interactive API reference at `/docs`: Scalar's component, rendered in the browser from the OpenAPI
 * document, with its script served by the coordinator itself so the page works without internet access. Nothing on
 * the page reaches another origin: no CDN, no web fonts, no request proxy, no hosted assistant, and a CSP that
 * allows only this origin.
 */
export function registerDocsPage(app: OpenAPIHono, options: DocsPageOptions = {}): void {
  const scalar = Scalar({
    url: options.openApiPath ?? '/openapi.json',
    cdn: DOCS_SCRIPT_PATH,
    pageTitle: options.pageTitle ?? 'Gleaner coordinator API',
    withDefaultFonts: false,
    telemetry: false,
    agent: { disabled: true },
    showDeveloperTools: 'never',
    documentDownloadType: 'json',
    hideClientButton: false,
    persistAuth: false,
    favicon: 'data:,', // an empty icon: the browser asks for no /favicon.ico
  });
  let page: Promise<Page> | undefined;
  let bundle: Promise<Bundle> | undefined;

  app.get('/docs', async (c, next) => {
    page ??= (async () => {
      const rendered = await scalar(c, next);
      const html = rendered instanceof Response ? await rendered.text() : '';
      const inline = [...html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
        (m) => m[1] ?? '',
      );
      return { html, csp: docsCsp(inline) };
    })();
    const { html, csp } = await page;
    c.header('content-security-policy', csp);
    c.header('referrer-policy', 'no-referrer');
    c.header('x-content-type-options', 'nosniff');
    return c.html(html);
  });

  app.get(DOCS_SCRIPT_PATH, async (c) => {
    bundle ??= readFile(BUNDLE_FILE).then(async (plain) => ({
      plain,
      gzipped: await promisify(gzip)(plain),
    }));
    const { plain, gzipped } = await bundle;
    const useGzip = /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');
    c.header('content-type', 'text/javascript; charset=utf-8');
    c.header('cache-control', 'public, max-age=31536000, immutable');
    c.header('x-content-type-options', 'nosniff');
    c.header('vary', 'accept-encoding');
    if (useGzip) c.header('content-encoding', 'gzip');
    return c.body(new Uint8Array(useGzip ? gzipped : plain));
  });
}
