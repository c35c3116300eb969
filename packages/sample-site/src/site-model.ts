/** What a page of the sample site answers. */
export type PageKind = 'page' | 'duplicate' | 'not-found' | 'server-error';

/** One URL of the sample site and what a perfect crawl makes of it. */
export interface SitePage {
  host: string;
  path: string;
  kind: PageKind;
  /** For a duplicate: the path (on the same host) of the page whose content it repeats. */
  duplicateOf?: string;
  title: string;
  /** In-scope links (absolute paths with host) and off-scope links. */
  links: { host: string; path: string }[];
}

/** Options for {@link buildSiteModel}. */
export interface SiteModelOptions {
  /** In-scope host names (e.g. 127.0.0.2 …). */
  hosts: string[];
  /** A host outside the campaign's scope that pages link to. */
  offScopeHost: string;
  pagesPerHost: number;
  /** Share of pages that repeat another page's content under another URL. Default 0.1. */
  duplicateRate?: number;
  /** Share of linked URLs that answer 404. Default 0.04. */
  notFoundRate?: number;
  /** Share of linked URLs that answer 500. Default 0.03. */
  serverErrorRate?: number;
  /** Seed of the pseudo-random generator. Default 1. */
  seed?: number;
}

/** A small deterministic pseudo-random generator (mulberry32). */
export function randomGenerator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Builds the site: on each host, `/` and pages `/p/1…/p/N-1` in a binary tree (page i links to 2i and 2i+1),
 * each page also linking to a page on the next host and to the off-scope host. Some pages repeat an earlier
 * page's content; some URLs answer 404 or 500. Every page is reachable from `/` of the first host.
 */
export function buildSiteModel(options: SiteModelOptions): SitePage[] {
  const random = randomGenerator(options.seed ?? 1);
  const dupRate = options.duplicateRate ?? 0.1;
  const notFoundRate = options.notFoundRate ?? 0.04;
  const errorRate = options.serverErrorRate ?? 0.03;
  const n = options.pagesPerHost;
  const pathOf = (i: number) => (i === 0 ? '/' : `/p/${i}`);
  const pages: SitePage[] = [];
  options.hosts.forEach((host, h) => {
    const nextHost = options.hosts[(h + 1) % options.hosts.length]!;
    for (let i = 0; i < n; i++) {
      const links: { host: string; path: string }[] = [];
      for (const child of [2 * i, 2 * i + 1])
        if (child > i && child < n) links.push({ host, path: pathOf(child) });
      if (i === 0) links.push({ host: nextHost, path: '/' });
      links.push({ host: nextHost, path: pathOf((i * 7 + 3) % n) });
      links.push({ host: options.offScopeHost, path: `/outside/${h}/${i}` });
      const roll = random();
      let kind: PageKind = 'page';
      // The home page and the first pages of each host stay real pages so the tree is always reachable.
      if (i > 3) {
        if (roll < errorRate) kind = 'server-error';
        else if (roll < errorRate + notFoundRate) kind = 'not-found';
        else if (roll < errorRate + notFoundRate + dupRate) kind = 'duplicate';
      }
      const page: SitePage = { host, path: pathOf(i), kind, title: `Page ${i} of ${host}`, links };
      if (kind === 'duplicate') {
        // A duplicate repeats an earlier real page of its host byte for byte, links included.
        const originals = pages.filter((p) => p.host === host && p.kind === 'page' && p.path !== '/');
        const original = originals[Math.floor(random() * originals.length)]!;
        page.duplicateOf = original.path;
        page.title = original.title;
        page.links = original.links;
      }
      pages.push(page);
    }
  });
  return pages;
}
