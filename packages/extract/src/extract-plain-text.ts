import { Parser } from 'htmlparser2';
import { decodeHtml } from './decode-html.js';
import { resolveLink } from './outlinks.js';
import { pageDirectives, type MetaAttributes, type PageDirectives } from './page-directives.js';

/** What the fallback extraction gives: the page's visible text and its links, nothing more. */
export interface PlainTextPage {
  charset: string;
  title: string;
  text: string;
  outlinks: { url: string; text: string; rel: string }[];
  /** What the page's `<meta>` tags say to crawlers, read in the same pass. */
  directives: PageDirectives;
}

/** Most `<meta>` tags the fallback reads. */
const MAX_METAS = 256;

/** Largest amount of HTML the fallback reads, characters (the rest is ignored). */
export const PLAIN_TEXT_MAX_CHARS = 4 * 1024 * 1024;

const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'svg', 'head']);
const BLOCKS = new Set([
  'p',
  'div',
  'br',
  'li',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'tr',
  'section',
  'article',
  'pre',
  'blockquote',
]);

/**
 * The fallback path when full extraction runs out of its time budget: one streaming pass over (at most 4 MiB of)
 * the HTML that keeps visible text and links. Linear in the input, no tree, no recursion, so it always ends.
 */
export function extractPlainText(body: Uint8Array, url: string, contentType?: string): PlainTextPage {
  const { text: html, charset } = decodeHtml(body, contentType);
  const parts: string[] = [];
  const outlinks: PlainTextPage['outlinks'] = [];
  const seen = new Set<string>();
  let skipDepth = 0;
  let title = '';
  let inTitle = false;
  let link: { url: string; text: string; rel: string } | undefined;
  const metas: MetaAttributes[] = [];
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (name === 'title') inTitle = true;
        if (name === 'meta' && metas.length < MAX_METAS) metas.push(attribs);
        if (SKIPPED.has(name)) skipDepth++;
        if (BLOCKS.has(name)) parts.push('\n');
        if (name === 'a' && attribs.href) {
          const resolved = resolveLink(attribs.href, url);
          if (resolved && !seen.has(resolved)) link = { url: resolved, text: '', rel: attribs.rel ?? '' };
        }
      },
      ontext(data) {
        if (inTitle) title += data;
        if (skipDepth > 0) return;
        parts.push(data);
        if (link) link.text += data;
      },
      onclosetag(name) {
        if (name === 'title') inTitle = false;
        if (SKIPPED.has(name) && skipDepth > 0) skipDepth--;
        if (BLOCKS.has(name)) parts.push('\n');
        if (name === 'a' && link) {
          seen.add(link.url);
          outlinks.push({ ...link, text: link.text.replace(/\s+/g, ' ').trim() });
          link = undefined;
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.end(html.length > PLAIN_TEXT_MAX_CHARS ? html.slice(0, PLAIN_TEXT_MAX_CHARS) : html);
  const text = parts
    .join('')
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n\n');
  return {
    charset,
    title: title.replace(/\s+/g, ' ').trim(),
    text,
    outlinks,
    directives: pageDirectives(metas),
  };
}
