import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pageParagraphs } from './page-text.js';
import { buildSiteModel, type SiteModelOptions, type SitePage } from './site-model.js';

/** One request the site received. */
export interface SiteRequest {
  host: string;
  path: string;
  /** When the request arrived, ms since the epoch. */
  at: number;
  /** When its response finished (0 while in progress). */
  doneAt: number;
  /** The status it was answered with. */
  status?: number;
  /** Whether it was a conditional request (`If-None-Match` or `If-Modified-Since`). */
  conditional: boolean;
}

/** When every page was first published; a revision moves its `Last-Modified` one day on. */
const FIRST_PUBLISHED_MS = Date.UTC(2026, 0, 1);
const DAY_MS = 86_400_000;

/** Options for {@link SampleSite}. */
export interface SampleSiteOptions extends SiteModelOptions {
  /** Port shared by every host; 0 picks one free on all of them. Default 0. */
  port?: number;
  /** robots.txt per host (hosts without one answer 404); a function gets the host's origin. */
  robots?: Record<string, string | ((origin: string) => string)>;
  /** Pages per host that no page links to (`/orphan/0`…), for sitemaps to reveal. */
  orphans?: Record<string, number>;
  /**
   * Extra files by host and path (sitemaps, say); `body` gets the host's origin, `status` (default 200) is asked
   * on every request, so a test can make a file fail for a while.
   */
  files?: Record<
    string,
    Record<string, { contentType: string; body: (origin: string) => string | Buffer; status?: () => number }>
  >;
  /**
   * Hosts that also serve crawler traps under `/trap/`: an endless calendar (`/trap/calendar/YYYY/MM`, each month
   * linking to the next), an endless search (`/trap/search?q=N` linking to five more queries) and a relative-link
   * loop (`/trap/loop/`, each page linking to `a/` below itself).
   */
  traps?: string[];
  /** Which pages those robots.txt files disallow, so {@link SampleSite.reachable} knows what a crawl may fetch. */
  disallowed?: (host: string, path: string) => boolean;
  /**
   * Makes every page dynamic, as real pages are: each response carries the time it was served, one of several
   * rotating ads, and one of two variants (A/B) of a sentence — so two true fetches of a page differ a little.
   */
  dynamic?: boolean;
  /** Replaces a page's HTML (the benchmark serves real-size pages); gets the default HTML and the links. */
  renderPage?: (page: SitePage, links: string[], defaultHtml: string) => string;
}

const ADS = [
  'Sponsored: walking boots for every season, now with free returns.',
  'Sponsored: a reading lamp that remembers your favourite brightness.',
  'Sponsored: learn a language in ten minutes a day.',
];
const VARIANTS = [
  'Readers who liked this page also browsed the archive of older notes.',
  'Many visitors continue with the most popular notes of the month.',
];

/** A page as served at one moment: the time, the ad and the A/B variant of the `n`-th request. */
function withDynamicParts(html: string, n: number): string {
  const parts =
    `<p>Served ${new Date().toISOString()}.</p>\n` +
    `<p>${ADS[n % ADS.length]}</p>\n<p>${VARIANTS[Math.floor(n / 3) % VARIANTS.length]}</p>\n`;
  return html.replace('<h2>Related</h2>', `${parts}<h2>Related</h2>`);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/**
 * A deterministic website served on several loopback hosts at one port, which records every request it gets —
 * in scope or not — so a test can compare a crawl with what a perfect crawl would do.
 */
export class SampleSite {
  readonly pages: SitePage[];
  readonly requests: SiteRequest[] = [];
  private readonly byKey = new Map<string, SitePage>();
  private readonly servers: Server[] = [];
  port = 0;

  private readonly revisions = new Map<string, number>();

  constructor(private readonly options: SampleSiteOptions) {
    this.pages = buildSiteModel(options);
    for (const [host, count] of Object.entries(options.orphans ?? {})) {
      for (let i = 0; i < count; i++) {
        this.pages.push({
          host,
          path: `/orphan/${i}`,
          kind: 'page',
          title: `Orphan ${i} of ${host}`,
          links: [],
        });
      }
    }
    for (const page of this.pages) this.byKey.set(`${page.host}${page.path}`, page);
  }

  /** Base URL of a host, e.g. `http://127.0.0.2:8123`. */
  origin(host: string): string {
    return `http://${host}:${this.port}`;
  }

  /** The URL a crawl starts from. */
  seedUrl(): string {
    return `${this.origin(this.options.hosts[0]!)}/`;
  }

  /** Listens on every in-scope host and on the off-scope host, all on one port. */
  async start(): Promise<void> {
    const hosts = [...this.options.hosts, this.options.offScopeHost];
    for (let attempt = 0; attempt < 20; attempt++) {
      try {
        this.port = this.options.port ?? 0;
        for (const host of hosts) {
          const server = createServer((req, res) => this.handle(host, req, res));
          server.keepAliveTimeout = 5000;
          await new Promise<void>((resolve, reject) => {
            server.once('error', reject);
            server.listen(this.port, host, () => resolve());
          });
          this.servers.push(server);
          this.port = (server.address() as AddressInfo).port;
        }
        return;
      } catch (error) {
        await this.stop();
        if (this.options.port) throw error;
      }
    }
    throw new Error('could not find one free port on every sample-site host');
  }

  /** Stops every server. */
  async stop(): Promise<void> {
    const servers = this.servers.splice(0);
    await Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.close(() => resolve());
            s.closeAllConnections();
          }),
      ),
    );
  }

  private handle(host: string, req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0]!;
    const request: SiteRequest = {
      host,
      path,
      at: Date.now(),
      doneAt: 0,
      conditional:
        req.headers['if-none-match'] !== undefined || req.headers['if-modified-since'] !== undefined,
    };
    this.requests.push(request);
    res.once('close', () => (request.doneAt = Date.now()));
    const file = this.options.files?.[host]?.[path];
    if (file) {
      request.status = file.status?.() ?? 200;
      res.writeHead(request.status, { 'content-type': file.contentType }).end(file.body(this.origin(host)));
      return;
    }
    if (host === this.options.offScopeHost) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<p>outside the campaign</p>');
      return;
    }
    if (path.startsWith('/trap/') && this.options.traps?.includes(host)) {
      const links = trapLinks(path, req.url ?? path);
      request.status = links ? 200 : 404;
      if (!links)
        res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }).end('<h1>Not found</h1>');
      else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(trapPage(path, links));
      return;
    }
    if (path === '/robots.txt') {
      const entry = this.options.robots?.[host];
      const robots = typeof entry === 'function' ? entry(this.origin(host)) : entry;
      if (robots === undefined) res.writeHead(404, { 'content-type': 'text/plain' }).end('no robots.txt');
      else res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(robots);
      return;
    }
    const page = this.byKey.get(`${host}${path}`);
    if (!page || page.kind === 'not-found') {
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }).end('<h1>Not found</h1>');
      return;
    }
    if (page.kind === 'server-error') {
      res.writeHead(500, { 'content-type': 'text/html; charset=utf-8' }).end('<h1>Server error</h1>');
      return;
    }
    const source = page.duplicateOf ? this.byKey.get(`${host}${page.duplicateOf}`)! : page;
    const html = this.options.dynamic
      ? withDynamicParts(this.html(source), this.requests.length)
      : this.html(source);
    // Real validators, so recrawls can ask conditionally: a strong ETag of the bytes, and a Last-Modified that
    // moves on with each revision.
    const etag = `"${createHash('sha256').update(html).digest('hex').slice(0, 20)}"`;
    const lastModified = new Date(FIRST_PUBLISHED_MS + this.revisionOf(source) * DAY_MS).toUTCString();
    const ifNoneMatch = req.headers['if-none-match'];
    const ifModifiedSince = req.headers['if-modified-since'];
    const unchanged =
      ifNoneMatch !== undefined
        ? ifNoneMatch.split(',').some((tag) => tag.trim() === etag)
        : ifModifiedSince !== undefined && Date.parse(ifModifiedSince) >= Date.parse(lastModified);
    const validators = { etag, 'last-modified': lastModified };
    if (unchanged) {
      request.status = 304;
      res.writeHead(304, validators).end();
      return;
    }
    request.status = 200;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...validators }).end(html);
  }

  /** Changes a page's text (a new paragraph per revision), as a site that updates an article does. */
  revise(host: string, path: string): void {
    const key = `${host}${path}`;
    if (!this.byKey.has(key)) throw new Error(`no page ${key} on the sample site`);
    this.revisions.set(key, (this.revisions.get(key) ?? 0) + 1);
  }

  private revisionOf(page: SitePage): number {
    return this.revisions.get(`${page.host}${page.path}`) ?? 0;
  }

  /** The HTML of a page (a duplicate is served its original's HTML). */
  html(page: SitePage): string {
    const links = page.links.map((l) => (l.host === page.host ? l.path : `${this.origin(l.host)}${l.path}`));
    const revision = this.revisionOf(page);
    const revised = Array.from({ length: revision }, (_, i) =>
      pageParagraphs(`${page.host}${page.path}#revision-${i + 1}`).join(' '),
    );
    const paragraphs = [...revised, ...pageParagraphs(`${page.host}${page.path}`)]
      .map((p) => `<p>${escapeHtml(p)}</p>`)
      .join('\n');
    const items = links
      .map((href, i) => `<li><a href="${escapeHtml(href)}">Related ${i + 1}</a></li>`)
      .join('');
    const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(page.title)}</title></head>
<body>
<nav><a href="/">Home</a> · <a href="/p/1">Start</a></nav>
<main><article><h1>${escapeHtml(page.title)}</h1>
${paragraphs}
<h2>Related</h2><ul>${items}</ul>
</article></main>
<footer>Sample site · all words made up</footer>
</body></html>`;
    return this.options.renderPage ? this.options.renderPage(page, links, html) : html;
  }

  /** Whether the site's robots.txt keeps crawlers from this page. */
  isDisallowed(page: { host: string; path: string }): boolean {
    return this.options.disallowed?.(page.host, page.path) ?? false;
  }

  /**
   * What a perfect crawl from the seed finds, following links through real pages only (an error page has no
   * links; a duplicate has its original's; a page robots.txt disallows is found but not fetched): the reachable
   * in-scope URLs with their kinds. `alsoFrom` adds starting pages (what sitemaps list).
   */
  reachable(
    maxDepth = Number.POSITIVE_INFINITY,
    alsoFrom: { host: string; path: string }[] = [],
  ): SitePage[] {
    const inScope = new Set(this.options.hosts);
    const starts = [`${this.options.hosts[0]}/`, ...alsoFrom.map((p) => `${p.host}${p.path}`)]
      .map((key) => this.byKey.get(key))
      .filter((page): page is SitePage => page !== undefined);
    const seen = new Map<string, number>(starts.map((p) => [`${p.host}${p.path}`, 0]));
    const queue: SitePage[] = [...starts];
    while (queue.length) {
      const page = queue.shift()!;
      const depth = seen.get(`${page.host}${page.path}`)!;
      if (page.kind === 'not-found' || page.kind === 'server-error' || depth >= maxDepth) continue;
      if (this.isDisallowed(page)) continue;
      for (const link of page.links) {
        if (!inScope.has(link.host)) continue;
        const key = `${link.host}${link.path}`;
        if (seen.has(key)) continue;
        const target = this.byKey.get(key);
        if (!target) continue;
        seen.set(key, depth + 1);
        queue.push(target);
      }
    }
    return [...seen.keys()].map((k) => this.byKey.get(k)!);
  }
}

/** The links of a trap page, or undefined for a path that is not one. */
function trapLinks(path: string, pathAndQuery: string): string[] | undefined {
  const month = /^\/trap\/calendar\/(\d{4})\/(\d{2})$/.exec(path);
  if (month) {
    const next = Number(month[1]) * 12 + Number(month[2]); // the month after, as year * 12 + (month - 1)
    return [`/trap/calendar/${Math.floor(next / 12)}/${String((next % 12) + 1).padStart(2, '0')}`];
  }
  if (path === '/trap/search') {
    const q = Number(new URLSearchParams(pathAndQuery.split('?')[1] ?? '').get('q') ?? 0);
    return Array.from({ length: 5 }, (_, k) => `/trap/search?q=${q * 5 + k + 1}`);
  }
  if (path.startsWith('/trap/loop/')) return ['a/'];
  return undefined;
}

/** A trap page: enough text to be a page, and its links. */
function trapPage(path: string, links: string[]): string {
  const text = pageParagraphs(path, 2)
    .map((p) => `<p>${escapeHtml(p)}</p>`)
    .join('');
  const items = links.map((href) => `<li><a href="${escapeHtml(href)}">More</a></li>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(path)}</title></head><body><main>${text}<ul>${items}</ul></main></body></html>`;
}
