import type { Element } from 'domhandler';
import { normalizeSpace, textContent } from './dom-utils.js';
import type { PageScan } from './page-scan.js';

/** Page metadata; each field is undefined when no source on the page gave it. */
export interface PageMetadata {
  title?: string;
  author?: string;
  /** ISO 8601: a full timestamp when the source had a time, else `YYYY-MM-DD`. */
  publishedAt?: string;
  /** ISO 8601, as `publishedAt`. */
  modifiedAt?: string;
  /** Absolute canonical URL (`<link rel=canonical>`, else `og:url`). */
  canonicalUrl?: string;
  description?: string;
  siteName?: string;
  /** Every JSON-LD block that parsed, as parsed. */
  jsonLd: unknown[];
  /** `og:*` meta properties (first value of each), keyed without the `og:` prefix. */
  openGraph: Record<string, string>;
}

/** Largest JSON-LD script parsed, in characters. */
const MAX_JSON_LD_CHARS = 1_000_000;

const ARTICLE_TYPES =
  /article|posting|report|blog|review|recipe|webpage|creativework|newsarticle|story|scholarly/i;

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJsonLd(scripts: Element[]): unknown[] {
  const out: unknown[] = [];
  for (const script of scripts) {
    const raw = textContent(script, MAX_JSON_LD_CHARS + 1);
    if (raw.length > MAX_JSON_LD_CHARS) continue;
    const clean = raw
      .replace(/^\s*(?:<!--|(?:\/\/\s*)?<!\[CDATA\[)/, '')
      .replace(/(?:-->|(?:\/\/\s*)?\]\]>)\s*$/, '')
      .trim();
    try {
      out.push(JSON.parse(clean));
    } catch {
      // Invalid JSON-LD is common; other sources still apply.
    }
  }
  return out;
}

/** All JSON-LD nodes, flattening arrays and `@graph`, breadth first, bounded. */
function jsonLdNodes(blocks: unknown[]): JsonObject[] {
  const nodes: JsonObject[] = [];
  const queue: unknown[] = [...blocks];
  while (queue.length > 0 && nodes.length < 500) {
    const item = queue.shift();
    if (Array.isArray(item)) queue.push(...item.slice(0, 200));
    else if (isObject(item)) {
      nodes.push(item);
      if (Array.isArray(item['@graph'])) queue.push(...(item['@graph'] as unknown[]).slice(0, 200));
    }
  }
  return nodes;
}

function typesOf(node: JsonObject): string {
  const type = node['@type'];
  return Array.isArray(type) ? type.join(' ') : typeof type === 'string' ? type : '';
}

function stringOf(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const text = normalizeSpace(value);
    return text === '' ? undefined : text;
  }
  if (Array.isArray(value)) return stringOf(value[0]);
  return undefined;
}

function personNames(value: unknown): string | undefined {
  const list = Array.isArray(value) ? value : [value];
  const names: string[] = [];
  for (const item of list.slice(0, 20)) {
    const name = typeof item === 'string' ? stringOf(item) : isObject(item) ? stringOf(item.name) : undefined;
    if (name && !/^https?:\/\//.test(name) && !names.includes(name)) names.push(name);
  }
  return names.length > 0 ? names.join(', ') : undefined;
}

/** `<meta>` values by lower-cased name / property / itemprop; first value wins. */
function metaValues(metas: Element[]): Map<string, string> {
  const values = new Map<string, string>();
  for (const meta of metas) {
    const content = meta.attribs.content;
    if (content === undefined) continue;
    const value = normalizeSpace(content.length > 10_000 ? content.slice(0, 10_000) : content);
    if (value === '') continue;
    for (const key of [meta.attribs.property, meta.attribs.name, meta.attribs.itemprop]) {
      if (key === undefined) continue;
      for (const part of key.toLowerCase().split(/\s+/))
        if (part && !values.has(part)) values.set(part, value);
    }
  }
  return values;
}

/**
 * Normalise a date string to ISO 8601: `YYYY-MM-DD` when it has no time of day, else a full UTC timestamp.
 * Returns undefined for strings that don't parse or fall outside 1990 to ten years from now.
 */
export function normalizeDate(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const value = raw.trim();
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (dateOnly) return plausible(Number(dateOnly[1])) ? value : undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) {
    const dotted = /\b(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})\b/.exec(value);
    if (dotted && plausible(Number(dotted[3]))) {
      return `${dotted[3]}-${dotted[2]!.padStart(2, '0')}-${dotted[1]!.padStart(2, '0')}`;
    }
    return undefined;
  }
  const date = new Date(time);
  return plausible(date.getUTCFullYear()) ? date.toISOString() : undefined;
}

function plausible(year: number): boolean {
  return year >= 1990 && year <= new Date().getUTCFullYear() + 10;
}

/** A date in the URL's path such as `/2016/06/19/` or `/2016-06-19-`. */
export function dateFromUrl(url: string): string | undefined {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const match =
    /(?:^|[/_-])((?:19|20)\d{2})[/_-](0?[1-9]|1[0-2])[/_-](0?[1-9]|[12]\d|3[01])(?=$|[/_.-])/.exec(path);
  if (!match) return undefined;
  return normalizeDate(`${match[1]}-${match[2]!.padStart(2, '0')}-${match[3]!.padStart(2, '0')}`);
}

function resolveUrl(href: string | undefined, base: string): string | undefined {
  if (!href) return undefined;
  try {
    const url = new URL(href.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function itempropValue(el: Element): string | undefined {
  const value = el.attribs.content ?? el.attribs.datetime ?? textContent(el, 500);
  return stringOf(value);
}

/** Strip a site name appended to or prepended on a `<title>` (`Story – Site`). */
function cleanDocumentTitle(raw: string, h1s: string[], siteName: string | undefined): string {
  const title = normalizeSpace(raw);
  if (h1s.includes(title)) return title;
  const parts = title.split(/\s+[|–—\-:»·]\s+/);
  if (parts.length < 2) return title;
  for (const h1 of h1s) if (parts.includes(h1)) return h1;
  const withoutSite = siteName ? parts.filter((p) => p.toLowerCase() !== siteName.toLowerCase()) : parts;
  if (withoutSite.length === 1) return withoutSite[0]!;
  // Keep the longest part when it is a real sentence; else the whole title.
  const longest = withoutSite.reduce((a, b) => (b.length > a.length ? b : a));
  return longest.split(/\s+/).length >= 4 ? longest : title;
}

function words(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w.length > 0),
  );
}

/**
 * True when most words of `candidate` occur in `reference` (or there is no reference to check against). A JSON-LD
 * `headline`/`name` becomes the title only when the page's own title agrees: many sites put a section or site
 * name there.
 */
function similarTitles(candidate: string, reference: string): boolean {
  if (reference === '') return true;
  const ref = words(reference);
  const cand = [...words(candidate)];
  if (cand.length === 0) return false;
  return cand.filter((w) => ref.has(w)).length / cand.length >= 0.5;
}

/** A byline reduced to the name: no "By" prefix, no trailing date, role or separator. */
function cleanByline(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const name = raw
    .replace(/^(?:by|von|par|por|door|di|da|av|af|od|autor(?:in)?:?|author:?)\s+/i, '')
    .split(/\s+[-–—|•·]\s+|\s+[|•·]|\s*[–—]\s*$/)[0]!
    .replace(/[\s,;:–—-]+$/, '')
    .trim();
  return name === '' ? undefined : name;
}

/**
 * Collect metadata from JSON-LD, `<meta>` tags (Open Graph, Twitter, Dublin Core, article:*), microdata,
 * `<time>` elements, bylines and the URL, in that order of trust.
 */
export function extractMetadata(scan: PageScan, pageUrl: string, baseUrl: string): PageMetadata {
  const jsonLd = parseJsonLd(scan.jsonLdScripts);
  const nodes = jsonLdNodes(jsonLd);
  const article =
    nodes.find((n) => ARTICLE_TYPES.test(typesOf(n)) && (n.headline || n.datePublished)) ??
    nodes.find((n) => ARTICLE_TYPES.test(typesOf(n)));
  const website = nodes.find((n) => /website|organization/i.test(typesOf(n)));
  const meta = metaValues(scan.metas);
  const openGraph: Record<string, string> = {};
  for (const [key, value] of meta) if (key.startsWith('og:')) openGraph[key.slice(3)] = value;

  const props = new Map<string, string>();
  for (const el of scan.itemprops) {
    const key = el.attribs.itemprop!.toLowerCase();
    if (props.has(key) || el.name === 'meta') continue;
    const value = key === 'author' ? stringOf(textContent(el, 300)) : itempropValue(el);
    if (value) props.set(key, value);
  }

  const siteName =
    stringOf(meta.get('og:site_name')) ??
    (isObject(article?.publisher) ? stringOf(article.publisher.name) : undefined) ??
    stringOf(website?.name) ??
    meta.get('application-name');
  const h1s = scan.h1s
    .slice(0, 5)
    .map((h) => normalizeSpace(textContent(h, 1000)))
    .filter(Boolean);
  const documentTitle = scan.title ? normalizeSpace(textContent(scan.title, 2000)) : '';
  const ldTitle = [stringOf(article?.headline), stringOf(article?.name)].find(
    (t) =>
      t !== undefined && (similarTitles(t, meta.get('og:title') ?? '') || similarTitles(t, documentTitle)),
  );
  const title =
    ldTitle ??
    meta.get('dc.title') ??
    meta.get('dcterms.title') ??
    meta.get('og:title') ??
    meta.get('twitter:title') ??
    meta.get('title') ??
    (scan.title
      ? cleanDocumentTitle(textContent(scan.title, 2000), h1s, siteName) || undefined
      : undefined) ??
    h1s[0];

  const metaAuthor = [
    meta.get('author'),
    meta.get('article:author'),
    meta.get('dc.creator'),
    meta.get('dcterms.creator'),
    meta.get('parsely-author'),
    meta.get('sailthru.author'),
    meta.get('byl'),
  ].find((v) => v !== undefined && !/^https?:\/\//.test(v));
  const bylineText = scan.bylines
    .map((el) => normalizeSpace(textContent(el, 200)))
    .find((v) => v.length > 2 && v.length < 100);
  const author =
    personNames(article?.author) ??
    cleanByline(metaAuthor) ??
    cleanByline(props.get('author')) ??
    cleanByline(bylineText);

  const timeEl =
    scan.times.find((t) => t.attribs.pubdate !== undefined || t.attribs.itemprop === 'datePublished') ??
    scan.times.find((t) => t.attribs.datetime !== undefined);
  const publishedAt =
    normalizeDate(stringOf(article?.datePublished)) ??
    normalizeDate(meta.get('article:published_time')) ??
    normalizeDate(meta.get('og:published_time')) ??
    normalizeDate(meta.get('datepublished')) ??
    normalizeDate(meta.get('parsely-pub-date')) ??
    normalizeDate(meta.get('dc.date.issued')) ??
    normalizeDate(meta.get('dc.date')) ??
    normalizeDate(meta.get('dcterms.created')) ??
    normalizeDate(meta.get('date')) ??
    normalizeDate(meta.get('pubdate')) ??
    normalizeDate(meta.get('publish-date')) ??
    normalizeDate(props.get('datepublished')) ??
    normalizeDate(timeEl?.attribs.datetime) ??
    dateFromUrl(pageUrl);
  const modifiedAt =
    normalizeDate(stringOf(article?.dateModified)) ??
    normalizeDate(meta.get('article:modified_time')) ??
    normalizeDate(meta.get('og:updated_time')) ??
    normalizeDate(meta.get('dcterms.modified')) ??
    normalizeDate(meta.get('last-modified')) ??
    normalizeDate(props.get('datemodified'));

  const canonicalLink = scan.links.find((l) => /(?:^|\s)canonical(?:\s|$)/i.test(l.attribs.rel ?? ''));
  const canonicalUrl =
    resolveUrl(canonicalLink?.attribs.href, baseUrl) ?? resolveUrl(meta.get('og:url'), baseUrl);
  const description =
    meta.get('description') ??
    meta.get('og:description') ??
    meta.get('twitter:description') ??
    stringOf(article?.description) ??
    meta.get('dc.description');

  return { title, author, publishedAt, modifiedAt, canonicalUrl, description, siteName, jsonLd, openGraph };
}
