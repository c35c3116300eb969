import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { SampleSite, type SitePage } from '@gleaner/sample-site';

/**
 * The in-scope hosts of the fixture site, all on loopback: forty of them, so that Gleaner's per-host politeness
 * (100 ms between requests to one host, the least a campaign may ask for) leaves room for 400 pages/s in all.
 */
export const FIXTURE_HOSTS = Array.from({ length: 40 }, (_, i) => `127.0.1.${i + 2}`);
const OFF_SCOPE_HOST = '127.0.2.9';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/**
 * Takes the links out of a corpus page, so that the site's link graph is only the one the fixture injects: every
 * `href` becomes `data-href`, and `<base>`, canonical links and meta refreshes go.
 */
function withoutLinks(html: string): string {
  return html
    .replace(/<base\b[^>]*>/gi, '')
    .replace(/<meta\b[^>]*http-equiv\s*=\s*["']?refresh[^>]*>/gi, '')
    .replace(/(\s)href(\s*=)/gi, '$1data-href$2');
}

/** Reads every `readability-pages/<name>/source.html` of the shared corpus, links taken out, in name order. */
export async function loadCorpusPages(corpusDir: string): Promise<string[]> {
  const root = path.join(corpusDir, 'readability-pages');
  const names = (await readdir(root, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('_'))
    .map((entry) => entry.name)
    .sort();
  const pages: string[] = [];
  for (const name of names) {
    try {
      pages.push(withoutLinks(await readFile(path.join(root, name, 'source.html'), 'utf8')));
    } catch {
      // a folder without source.html is not a page
    }
  }
  if (pages.length === 0) throw new Error(`no corpus pages found in ${root}`);
  return pages;
}

/** A running fixture site and what a crawl of it should find. */
export interface FixtureSite {
  site: SampleSite;
  hosts: string[];
  /** In-scope pages reachable from the seed: what every crawler should fetch. */
  expectedPages: number;
  /** Mean size of a page body, in bytes. */
  meanPageBytes: number;
}

/**
 * Starts the sample site on the fixture's loopback hosts with `pages` pages in all (rounded up to a multiple of their number), with
 * no duplicates, 404s or 500s; each URL serves a real corpus page (cycling through them) with the URL's own links
 * injected as a list before `</body>`.
 */
export async function startFixtureSite(pages: number, corpusPages: string[]): Promise<FixtureSite> {
  // Each URL always gets the same corpus page (by its place in the site), whichever crawler asks first.
  const indexByUrl = new Map<string, number>();
  const split = corpusPages.map((html) => {
    const at = html.toLowerCase().lastIndexOf('</body>');
    return at === -1 ? { head: html, tail: '' } : { head: html.slice(0, at), tail: html.slice(at) };
  });
  const render = (page: SitePage, links: string[]): string => {
    const index = indexByUrl.get(`${page.host}${page.path}`) ?? 0;
    const { head, tail } = split[index % split.length]!;
    const list =
      `<nav class="fixture-links"><p>${escapeHtml(page.title)}</p><ul>` +
      links.map((href, i) => `<li><a href="${escapeHtml(href)}">Related ${i + 1}</a></li>`).join('') +
      '</ul></nav>';
    return `${head}${list}${tail}`;
  };
  const site = new SampleSite({
    hosts: FIXTURE_HOSTS,
    offScopeHost: OFF_SCOPE_HOST,
    pagesPerHost: Math.ceil(pages / FIXTURE_HOSTS.length),
    duplicateRate: 0,
    notFoundRate: 0,
    serverErrorRate: 0,
    renderPage: render,
  });
  site.pages.forEach((page, index) => indexByUrl.set(`${page.host}${page.path}`, index));
  await site.start();
  const meanPageBytes =
    corpusPages.reduce((sum, html) => sum + Buffer.byteLength(html), 0) / corpusPages.length;
  return { site, hosts: FIXTURE_HOSTS, expectedPages: site.reachable().length, meanPageBytes };
}
