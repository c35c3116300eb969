import type { Document } from 'domhandler';
import { parseDocument } from 'htmlparser2';

/**
 * Deepest element nesting kept when parsing (default of {@link parseHtml}). Browsers flatten well before this
 * (Chromium at 512); the limit exists because the HTML parser's cost grows with the square of the depth.
 */
export const MAX_NESTING_DEPTH = 2048;

/** Elements that never have an end tag, or whose end tag is usually implied: they don't add nesting. */
const NO_NEST = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
  'param',
  'keygen',
  'p',
  'li',
  'dt',
  'dd',
  'option',
  'optgroup',
  'tr',
  'td',
  'th',
  'thead',
  'tbody',
  'tfoot',
  'rt',
  'rp',
  '!doctype',
]);

const TAG = /<(\/?)([a-zA-Z][^\s/>]*)[^>]*?(\/?)>/g;

/**
 * Upper estimate of the nesting depth of `html`, counted from tags that need an end tag. Stops early once
 * `limit` is passed.
 */
function estimateDepth(html: string, limit: number): number {
  let depth = 0;
  let max = 0;
  TAG.lastIndex = 0;
  for (let match = TAG.exec(html); match; match = TAG.exec(html)) {
    const name = match[2]!.toLowerCase();
    if (NO_NEST.has(name) || match[3] === '/') continue;
    if (match[1] === '/') {
      if (depth > 0) depth--;
    } else if (++depth > max) {
      max = depth;
      if (max > limit) return max;
    }
  }
  return max;
}

/**
 * Drop every tag that would open (or close) an element deeper than `limit`, keeping all text. Only used on
 * pathological markup, so the approximate tag matching is good enough.
 */
function flattenDeepMarkup(html: string, limit: number): string {
  const out: string[] = [];
  let depth = 0;
  let last = 0;
  TAG.lastIndex = 0;
  for (let match = TAG.exec(html); match; match = TAG.exec(html)) {
    const name = match[2]!.toLowerCase();
    if (NO_NEST.has(name) || match[3] === '/') continue;
    const closing = match[1] === '/';
    const tooDeep = closing ? depth > limit : depth >= limit;
    if (closing) {
      if (depth > 0) depth--;
    } else {
      depth++;
    }
    if (tooDeep) {
      out.push(html.slice(last, match.index));
      last = match.index + match[0].length;
    }
  }
  out.push(html.slice(last));
  return out.join('');
}

/**
 * Parse HTML into a domhandler document with htmlparser2 (the tree cheerio works on). Markup nested deeper than
 * `maxDepth` elements is flattened first so parsing stays linear and tree walks stay bounded.
 */
export function parseHtml(html: string, maxDepth = MAX_NESTING_DEPTH): Document {
  const source = estimateDepth(html, maxDepth) > maxDepth ? flattenDeepMarkup(html, maxDepth) : html;
  return parseDocument(source, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
}
