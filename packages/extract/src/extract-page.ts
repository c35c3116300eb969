import { NonRetryableError } from '@gleaner/core';
import type { Document, Element } from 'domhandler';
import { load } from 'cheerio/slim';
import { collectBlocks } from './collect-blocks.js';
import type { Block } from './collect-blocks.js';
import { decodeHtml } from './decode-html.js';
import { detectLanguage } from './detect-language.js';
import { normalizeSpace, textContent } from './dom-utils.js';
import { needsJavaScript } from './javascript-signals.js';
import { extractMetadata } from './metadata.js';
import type { PageMetadata } from './metadata.js';
import { baseUrlOf, collectOutlinks, resolveLink } from './outlinks.js';
import type { Outlink } from './outlinks.js';
import { pageDirectives } from './page-directives.js';
import type { PageDirectives } from './page-directives.js';
import { scanPage } from './page-scan.js';
import { parseHtml } from './parse-html.js';
import { qualitySignals } from './quality-signals.js';
import type { QualitySignals } from './quality-signals.js';
import { renderBlocks } from './render-blocks.js';
import { selectContent } from './select-content.js';

/** Input of {@link extractPage}. */
export interface ExtractInput {
  /** Raw response body, in whatever encoding the server sent. */
  body: Uint8Array;
  /** Final URL of the page (after redirects); relative links resolve against it. */
  url: string;
  /** HTTP Content-Type header value, if known. */
  contentType?: string;
}

/** Options of {@link extractPage}. */
export interface ExtractOptions {
  /** Largest body accepted, in bytes (default 32 MiB). */
  maxBodyBytes?: number;
  /** Deepest element nesting kept; deeper markup is flattened (default 2,048, see {@link parseHtml}). */
  maxNestingDepth?: number;
}

/** Everything extracted from one page. */
export interface ExtractedPage {
  /** Encoding the body was decoded with, e.g. `utf-8`. */
  charset: string;
  /** Best title: metadata title, else the document title. Empty when the page has none. */
  title: string;
  /** Main-content text; paragraphs separated by blank lines, list items by line breaks. */
  text: string;
  /** Main content as markdown (headings, paragraphs, lists, tables, code blocks, quotes, links). */
  markdown: string;
  /** `declared`: the page's `lang` / Content-Language; `detected`: identified from the text (ISO 639-1). */
  language: { declared?: string; detected?: string };
  metadata: PageMetadata;
  /** Every http(s) link on the page, absolute, de-duplicated, without fragments. */
  outlinks: Outlink[];
  quality: QualitySignals;
  /** Whether the page, as fetched, looks like it needs JavaScript to show its content ({@link needsJavaScript}). */
  needsJavaScript: boolean;
  /** What the page's `<meta>` tags say to crawlers: robots directives and TDMRep ({@link pageDirectives}). */
  directives: PageDirectives;
}

/** Default of {@link ExtractOptions.maxBodyBytes}: 32 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

/** Main content shorter than this (characters) triggers a second pass that keeps chrome-looking elements. */
const RETRY_BELOW_CHARS = 250;

const HTML_TYPES =
  /^(?:text\/[\w.+-]+|application\/(?:xhtml\+xml|xml|[\w.+-]+\+xml)|application\/octet-stream)$/i;

function failed(message: string, cause?: unknown): NonRetryableError {
  return new NonRetryableError('EXTRACT_FAILED', message, cause === undefined ? undefined : { cause });
}

/** True when the decoded text is mostly control characters or undecodable bytes: not a web page. */
function looksBinary(text: string): boolean {
  const sample = text.slice(0, 4096);
  if (sample.length === 0) return false;
  let bad = 0;
  for (let i = 0; i < sample.length; i++) {
    const code = sample.charCodeAt(i);
    if ((code < 32 && code !== 9 && code !== 10 && code !== 13 && code !== 12) || code === 0xfffd) bad++;
  }
  return bad / sample.length > 0.05;
}

function textLength(blocks: Block[], keep: boolean[]): number {
  let total = 0;
  for (let i = 0; i < blocks.length; i++) if (keep[i]) total += blocks[i]!.text.length;
  return total;
}

function chooseBlocks(body: Element, baseUrl: string, pageChars: number): Block[] {
  const resolveHref = (href: string): string | undefined => resolveLink(href, baseUrl);
  const pruned = collectBlocks(body, { resolveHref, pruneBoilerplate: true, pageChars });
  let blocks = pruned.blocks;
  let keep = selectContent(pruned, body);
  if (textLength(blocks, keep) < RETRY_BELOW_CHARS) {
    const all = collectBlocks(body, { resolveHref, pruneBoilerplate: false, pageChars });
    const keepAll = selectContent(all, body);
    if (textLength(all.blocks, keepAll) > textLength(blocks, keep)) {
      blocks = all.blocks;
      keep = keepAll;
    }
  }
  return blocks.filter((_, i) => keep[i]);
}

/**
 * Drop the page title from the content (it is reported in `title`): headings that repeat a title anywhere, and
 * level-1 headings before the first paragraph.
 */
function dropTitleHeadings(blocks: Block[], titles: string[]): Block[] {
  const wanted = new Set(titles.map((t) => t.toLowerCase()).filter((t) => t.length > 0));
  let beforeText = true;
  return blocks.filter((block) => {
    if (block.kind !== 'heading') {
      beforeText = false;
      return true;
    }
    if (wanted.has(block.text.toLowerCase())) return false;
    return !(beforeText && block.level === 1);
  });
}

/**
 * Decode, parse and extract one HTML page: main content as text and markdown, metadata, outlinks, language and
 * quality signals. Bounded on hostile input (huge bodies, deep nesting, huge attributes, binary data).
 *
 * @throws NonRetryableError `EXTRACT_FAILED` when the body is too large, binary, not HTML or cannot be parsed;
 *   `EMPTY_CONTENT` when the body is empty or has no document at all. A page whose main content is empty comes
 *   back with empty `text` and `markdown`, and its outlinks.
 */
export function extractPage(input: ExtractInput, options: ExtractOptions = {}): ExtractedPage {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (input.body.byteLength > maxBodyBytes) {
    throw failed(`body is ${input.body.byteLength} bytes, over the ${maxBodyBytes}-byte limit`);
  }
  if (input.body.byteLength === 0) throw new NonRetryableError('EMPTY_CONTENT', 'body is empty');
  const mime = input.contentType?.split(';')[0]?.trim();
  if (mime && !HTML_TYPES.test(mime)) throw failed(`content type ${mime} is not HTML`);
  let pageUrl: string;
  try {
    pageUrl = new URL(input.url).href;
  } catch (error) {
    throw failed(`page URL ${JSON.stringify(input.url.slice(0, 200))} is not a valid URL`, error);
  }

  const { text: html, charset } = decodeHtml(input.body, input.contentType);
  if (looksBinary(html)) throw failed('body is binary data, not HTML text');

  let doc: Document;
  try {
    doc = load(parseHtml(html, options.maxNestingDepth)).root()[0] as unknown as Document;
  } catch (error) {
    throw failed('HTML could not be parsed', error);
  }
  const scan = scanPage(doc);
  const baseUrl = baseUrlOf(scan.base, pageUrl);
  const metadata = extractMetadata(scan, pageUrl, baseUrl);
  const outlinks = collectOutlinks(scan.anchors, baseUrl);
  const root = scan.body ?? scan.html;
  if (!root) throw new NonRetryableError('EMPTY_CONTENT', 'page has no text');
  const pageChars = textContent(root).length;

  const titles = [
    metadata.title ?? '',
    ...scan.h1s.slice(0, 3).map((h) => normalizeSpace(textContent(h, 1000))),
  ];
  const blocks = dropTitleHeadings(chooseBlocks(root, baseUrl, pageChars), titles);
  // A page without main text still has links worth following (listings, navigation pages): it comes back with
  // empty text, and the caller decides what an empty page is.
  const rendered = renderBlocks(blocks);

  const declaredLang =
    scan.html?.attribs.lang ??
    scan.html?.attribs['xml:lang'] ??
    scan.metas.find((m) => m.attribs['http-equiv']?.toLowerCase() === 'content-language')?.attribs.content;
  const declared =
    declaredLang === undefined ? undefined : normalizeSpace(declaredLang).slice(0, 35) || undefined;
  const quality = qualitySignals(rendered.text);
  return {
    charset,
    title: metadata.title ?? '',
    text: rendered.text,
    markdown: rendered.markdown,
    language: { declared, detected: detectLanguage(rendered.text) },
    metadata,
    outlinks,
    quality,
    needsJavaScript: needsJavaScript(scan, quality.wordCount),
    directives: pageDirectives(scan.metas.map((meta) => meta.attribs)),
  };
}
