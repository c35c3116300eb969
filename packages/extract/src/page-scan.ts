import type { Document, Element } from 'domhandler';
import { walkElements } from './dom-utils.js';

/** Elements of interest found in one walk over the whole document. */
export interface PageScan {
  html?: Element;
  body?: Element;
  title?: Element;
  base?: Element;
  metas: Element[];
  links: Element[];
  jsonLdScripts: Element[];
  times: Element[];
  itemprops: Element[];
  anchors: Element[];
  h1s: Element[];
  /** Elements whose class or rel marks an author name (`byline`, `author`, `rel=author`). */
  bylines: Element[];
}

/** Most anchors kept from one page; the rest are ignored. */
export const MAX_ANCHORS = 20_000;

/** Walk the document once (explicit stack) and collect what metadata and outlink extraction need. */
export function scanPage(doc: Document): PageScan {
  const scan: PageScan = {
    metas: [],
    links: [],
    jsonLdScripts: [],
    times: [],
    itemprops: [],
    anchors: [],
    h1s: [],
    bylines: [],
  };
  for (const el of walkElements(doc)) {
    const attribs = el.attribs;
    switch (el.name) {
      case 'html':
        scan.html ??= el;
        break;
      case 'body':
        scan.body ??= el;
        break;
      case 'title':
        scan.title ??= el;
        break;
      case 'base':
        if (attribs.href !== undefined) scan.base ??= el;
        break;
      case 'meta':
        scan.metas.push(el);
        break;
      case 'link':
        scan.links.push(el);
        break;
      case 'script':
        if ((attribs.type ?? '').trim().toLowerCase() === 'application/ld+json') scan.jsonLdScripts.push(el);
        break;
      case 'time':
        scan.times.push(el);
        break;
      case 'h1':
        scan.h1s.push(el);
        break;
      case 'a':
      case 'area':
        if (attribs.href !== undefined && scan.anchors.length < MAX_ANCHORS) scan.anchors.push(el);
        break;
    }
    if (attribs.itemprop !== undefined) scan.itemprops.push(el);
    const cls = attribs.class;
    if (
      (cls !== undefined && cls.length < 300 && /\b(?:byline|author)\b/i.test(cls)) ||
      /\bauthor\b/i.test(attribs.rel ?? '')
    ) {
      scan.bylines.push(el);
    }
  }
  return scan;
}
