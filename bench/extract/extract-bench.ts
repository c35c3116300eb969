/**
 * Main-content extraction benchmark: Gleaner's extractor vs Readability.js on jsdom and on linkedom, on the
 * trafilatura-eval and readability-pages corpora in ../shared/corpus. One run, one table.
 *
 *   npx tsx bench/extract/run.ts [--limit N] [--jsdom-limit N] [--only gleaner,linkedom,jsdom] [--corpus NAME]
 *
 * See bench/extract/README.md for what is measured and how.
 */
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Readability } from '@mozilla/readability';
import { decodeHtml, extractPage } from '@gleaner/extract';
import { JSDOM, VirtualConsole } from 'jsdom';
import { parseHTML } from 'linkedom';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpusRoot = path.resolve(repoRoot, '../shared/corpus');

const { values: args } = parseArgs({
  options: {
    limit: { type: 'string' },
    'jsdom-limit': { type: 'string', default: '150' },
    only: { type: 'string', default: 'gleaner,jsdom,linkedom' },
    corpus: { type: 'string', default: 'trafilatura-eval,readability-pages' },
    misses: { type: 'string' },
  },
});
const limit = args.limit === undefined ? Infinity : Number(args.limit);
const jsdomLimit = Math.min(limit, Number(args['jsdom-limit']));
const only = new Set(args.only.split(','));
const corpora = new Set(args.corpus.split(','));

/** One page of a corpus, loaded before any timing starts. */
interface Page {
  id: string;
  url: string;
  bytes: Uint8Array;
  /** The body decoded once for the baselines, which take strings. */
  html: string;
  with?: string[];
  without?: string[];
  expectedText?: string;
  expectedMeta?: {
    title: string | null;
    byline: string | null;
    lang: string | null;
    publishedTime: string | null;
  };
}

/** What an extractor returns for scoring. */
interface Extraction {
  text: string;
  title?: string | null;
  byline?: string | null;
  lang?: string | null;
  /** The language identified from the text (Gleaner only), ISO 639-1. */
  detected?: string | null;
  publishedTime?: string | null;
}

type Extractor = (page: Page) => Extraction;

const ws = (s: string): string => s.replace(/\s+/g, ' ').trim();

function loadTrafilatura(): Page[] {
  const dir = path.join(corpusRoot, 'trafilatura-eval');
  const data = JSON.parse(readFileSync(path.join(dir, 'evaldata.json'), 'utf8')) as Record<
    string,
    { file: string; with: string[]; without: string[] }
  >;
  const pages: Page[] = [];
  for (const [url, item] of Object.entries(data)) {
    if (pages.length >= limit) break;
    const file = [path.join(dir, 'cache', item.file), path.join(dir, 'eval', item.file)].find((f) =>
      existsSync(f),
    );
    if (!file) continue;
    const bytes = new Uint8Array(readFileSync(file));
    pages.push({
      id: item.file,
      url,
      bytes,
      html: decodeHtml(bytes).text,
      with: item.with,
      without: item.without,
    });
  }
  return pages;
}

function loadReadabilityPages(): Page[] {
  const dir = path.join(corpusRoot, 'readability-pages');
  const pages: Page[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('_') || pages.length >= limit) continue;
    const folder = path.join(dir, name);
    if (!existsSync(path.join(folder, 'source.html'))) continue;
    const bytes = new Uint8Array(readFileSync(path.join(folder, 'source.html')));
    const expectedHtml = readFileSync(path.join(folder, 'expected.html'), 'utf8');
    const expectedText =
      parseHTML(`<!doctype html><html><body>${expectedHtml}</body></html>`).document.body.textContent ?? '';
    pages.push({
      id: name,
      // The test pages were saved from these hosts; the URL only matters for resolving links.
      url: `http://fakehost/test/${name}/`,
      bytes,
      html: decodeHtml(bytes, 'text/html; charset=utf-8').text,
      expectedText,
      expectedMeta: JSON.parse(readFileSync(path.join(folder, 'expected-metadata.json'), 'utf8')),
    });
  }
  return pages;
}

const gleaner: Extractor = (page) => {
  const result = extractPage({ body: page.bytes, url: page.url });
  return {
    text: result.text,
    title: result.metadata.title,
    byline: result.metadata.author,
    lang: result.language.declared,
    detected: result.language.detected ?? null,
    publishedTime: result.metadata.publishedAt,
  };
};

function fromReadability(document: Document): Extraction {
  const article = new Readability(document).parse();
  if (!article) throw new Error('Readability found no article');
  return {
    text: article.textContent ?? '',
    title: article.title,
    byline: article.byline,
    lang: article.lang,
    publishedTime: article.publishedTime,
  };
}

const quiet = new VirtualConsole();
const readabilityJsdom: Extractor = (page) =>
  fromReadability(new JSDOM(page.html, { url: page.url, virtualConsole: quiet }).window.document);

const readabilityLinkedom: Extractor = (page) =>
  fromReadability(parseHTML(page.html).document as unknown as Document);

/** Per-page outcome, for the sums. */
interface Outcome {
  extraction?: Extraction;
  error?: unknown;
  ms: number;
}

function runAll(extractor: Extractor, pages: Page[]): Outcome[] {
  return pages.map((page) => {
    const start = performance.now();
    try {
      const extraction = extractor(page);
      return { extraction, ms: performance.now() - start };
    } catch (error) {
      return { error, ms: performance.now() - start };
    }
  });
}

interface Score {
  precision: number;
  recall: number;
  f1: number;
}

/** trafilatura's own scoring: `with` chunks found are TP, missing FN; `without` chunks found are FP. */
function scoreChunks(pages: Page[], outcomes: Outcome[], misses?: string[]): Score {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  pages.forEach((page, i) => {
    const text = ws(outcomes[i]?.extraction?.text ?? '');
    let pageFn = 0;
    let pageFp = 0;
    for (const chunk of page.with ?? [])
      if (text.includes(ws(chunk))) tp++;
      else {
        fn++;
        pageFn++;
      }
    for (const chunk of page.without ?? [])
      if (text.includes(ws(chunk))) {
        fp++;
        pageFp++;
      }
    if (misses && (pageFn > 0 || pageFp > 0)) misses.push(`${page.id}\tFN=${pageFn}\tFP=${pageFp}`);
  });
  return { precision: tp / (tp + fp), recall: tp / (tp + fn), f1: (2 * tp) / (2 * tp + fp + fn) };
}

/** Token-level overlap with expected.html's text (bag of white-space tokens), summed over the corpus. */
function scoreTokens(pages: Page[], outcomes: Outcome[]): Score {
  let overlap = 0;
  let predicted = 0;
  let expected = 0;
  pages.forEach((page, i) => {
    const gold = ws(page.expectedText ?? '')
      .split(' ')
      .filter(Boolean);
    const pred = ws(outcomes[i]?.extraction?.text ?? '')
      .split(' ')
      .filter(Boolean);
    const counts = new Map<string, number>();
    for (const t of gold) counts.set(t, (counts.get(t) ?? 0) + 1);
    for (const t of pred) {
      const c = counts.get(t) ?? 0;
      if (c > 0) {
        overlap++;
        counts.set(t, c - 1);
      }
    }
    predicted += pred.length;
    expected += gold.length;
  });
  const precision = predicted === 0 ? 0 : overlap / predicted;
  const recall = overlap / expected;
  return { precision, recall, f1: (2 * overlap) / (predicted + expected) };
}

/** Same instant, or same calendar day when one side has no time of day. */
function sameDate(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  if (ws(a) === ws(b)) return true;
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  if (Number.isNaN(ta) || Number.isNaN(tb)) return false;
  if (/^\d{4}-\d{2}-\d{2}$/.test(a.trim()) || /^\d{4}-\d{2}-\d{2}$/.test(b.trim())) {
    return new Date(ta).toISOString().slice(0, 10) === new Date(tb).toISOString().slice(0, 10);
  }
  return ta === tb;
}

function same(a: string | null | undefined, b: string | null | undefined): boolean {
  return ws(a ?? '') === ws(b ?? '');
}

function metadataAccuracy(pages: Page[], outcomes: Outcome[]): string[] {
  let title = 0;
  let byline = 0;
  let lang = 0;
  let date = 0;
  pages.forEach((page, i) => {
    const got = outcomes[i]?.extraction;
    const want = page.expectedMeta!;
    if (same(got?.title, want.title)) title++;
    if (same(got?.byline, want.byline)) byline++;
    if (same(got?.lang, want.lang)) lang++;
    if (sameDate(got?.publishedTime, want.publishedTime)) date++;
  });
  const pct = (n: number): string => `${((100 * n) / pages.length).toFixed(1)}%`;
  return [pct(title), pct(byline), pct(lang), pct(date)];
}

/** The primary subtag of a language tag (`en-GB` → `en`), or undefined for none. */
function primaryLanguage(tag: string | null | undefined): string | undefined {
  const primary = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return primary && /^[a-z]{2,3}$/.test(primary) ? primary : undefined;
}

/**
 * Language identification against a reference: readability-pages' expected `lang`, or (trafilatura-eval) the
 * language the page itself declares. Pages without a usable reference are left out.
 */
function languageAccuracy(corpus: string, pages: Page[], outcomes: Outcome[]): string[] {
  let withReference = 0;
  let right = 0;
  let none = 0;
  pages.forEach((page, i) => {
    const got = outcomes[i]?.extraction;
    const reference = primaryLanguage(corpus === 'readability-pages' ? page.expectedMeta?.lang : got?.lang);
    if (!reference) return;
    withReference++;
    if (!got?.detected) none++;
    else if (got.detected === reference) right++;
  });
  const pct = (n: number): string => (withReference ? `${((100 * n) / withReference).toFixed(1)}%` : '–');
  return [
    corpus,
    corpus === 'readability-pages' ? 'expected lang' : 'declared lang',
    String(withReference),
    pct(right),
    pct(none),
  ];
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const extractors: { name: string; run: Extractor; subset: boolean }[] = [
  { name: 'gleaner', run: gleaner, subset: false },
  { name: 'readability+jsdom', run: readabilityJsdom, subset: true },
  { name: 'readability+linkedom', run: readabilityLinkedom, subset: false },
].filter((e) => only.has(e.name.replace('readability+', '')));

const scoreRows: string[][] = [
  ['extractor', 'corpus', 'pages', 'precision', 'recall', 'F1', 'pages/s', 'errors'],
];
const metaRows: string[][] = [['extractor', 'pages', 'title', 'byline', 'lang', 'publishedTime']];
const languageRows: string[][] = [
  ['corpus', 'reference', 'pages with one', 'detected = reference', 'not detected'],
];
const loaded: [string, Page[]][] = [];
if (corpora.has('trafilatura-eval')) loaded.push(['trafilatura-eval', loadTrafilatura()]);
if (corpora.has('readability-pages')) loaded.push(['readability-pages', loadReadabilityPages()]);

for (const [corpus, allPages] of loaded) {
  for (const extractor of extractors) {
    const pages = extractor.subset ? allPages.slice(0, jsdomLimit) : allPages;
    const outcomes = runAll(extractor.run, pages);
    const seconds = outcomes.reduce((s, o) => s + o.ms, 0) / 1000;
    const errors = outcomes.filter((o) => o.error !== undefined).length;
    const misses: string[] | undefined = args.misses === extractor.name ? [] : undefined;
    const score =
      corpus === 'trafilatura-eval' ? scoreChunks(pages, outcomes, misses) : scoreTokens(pages, outcomes);
    if (misses) process.stderr.write(`${misses.join('\n')}\n`);
    const subsetNote = pages.length < allPages.length ? ` (first ${pages.length})` : '';
    scoreRows.push([
      extractor.name,
      corpus,
      `${pages.length}${subsetNote ? '*' : ''}`,
      score.precision.toFixed(3),
      score.recall.toFixed(3),
      score.f1.toFixed(4),
      (pages.length / seconds).toFixed(1),
      String(errors),
    ]);
    if (corpus === 'readability-pages')
      metaRows.push([extractor.name, String(pages.length), ...metadataAccuracy(pages, outcomes)]);
    if (extractor.name === 'gleaner') languageRows.push(languageAccuracy(corpus, pages, outcomes));
  }
}

console.log(
  'Main-content extraction (single core; time = extraction call only, decoding included for gleaner)',
);
console.log(table(scoreRows));
if (scoreRows.some((r) => r[2]?.endsWith('*'))) {
  console.log(`* jsdom runs on the first ${jsdomLimit} pages of each corpus (--jsdom-limit N to change)`);
}
console.log(
  'trafilatura-eval: chunk scoring as in the corpus README; readability-pages: token bag vs expected.html text',
);
if (metaRows.length > 1) {
  console.log(
    '\nMetadata exact matches on readability-pages (white space normalised; dates compared as instants)',
  );
  console.log(table(metaRows));
}
if (languageRows.length > 1) {
  console.log(
    '\nGleaner language identification (eld, from the extracted text) against a reference language',
  );
  console.log(table(languageRows));
}
