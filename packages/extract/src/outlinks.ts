import type { Element } from 'domhandler';
import { normalizeSpace, textContent, walkElements } from './dom-utils.js';

/** A link found on the page. */
export interface Outlink {
  /** Absolute http(s) URL without its fragment. */
  url: string;
  /** The link's visible text (or `alt`/`title` when it has none), white space collapsed. */
  text: string;
  /** The `rel` attribute, lower-cased (`nofollow`, `ugc`, …); empty when absent. */
  rel: string;
}

/**
 * Resolve a link target against `base` to an absolute http(s) URL without its fragment; undefined for other
 * schemes (`javascript:`, `mailto:`, `tel:`, `data:`), fragment-only links and unparsable targets.
 */
export function resolveLink(href: string, base: string): string | undefined {
  const trimmed = href.trim();
  if (trimmed === '' || trimmed.startsWith('#') || trimmed.length > 8192) return undefined;
  let url: URL;
  try {
    url = new URL(trimmed, base);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.hash = '';
  return url.href;
}

/** The document's base URL: `<base href>` resolved against the page URL, else the page URL. */
export function baseUrlOf(base: Element | undefined, pageUrl: string): string {
  const href = base?.attribs.href;
  if (href === undefined) return pageUrl;
  return resolveLink(href, pageUrl) ?? pageUrl;
}

/** The `alt` text of the first image inside a link. */
function imageAlt(anchor: Element): string | undefined {
  for (const el of walkElements(anchor)) if (el.name === 'img' && el.attribs.alt) return el.attribs.alt;
  return undefined;
}

/** Absolute, de-duplicated outlinks (first occurrence of each URL wins) from `<a href>` and `<area href>`. */
export function collectOutlinks(anchors: Element[], baseUrl: string): Outlink[] {
  const seen = new Set<string>();
  const out: Outlink[] = [];
  for (const anchor of anchors) {
    const url = resolveLink(anchor.attribs.href ?? '', baseUrl);
    if (url === undefined || seen.has(url)) continue;
    seen.add(url);
    let text = normalizeSpace(textContent(anchor, 1000));
    if (text === '')
      text = normalizeSpace(anchor.attribs.alt ?? imageAlt(anchor) ?? anchor.attribs.title ?? '');
    out.push({ url, text: text.slice(0, 1000), rel: normalizeSpace(anchor.attribs.rel ?? '').toLowerCase() });
  }
  return out;
}
