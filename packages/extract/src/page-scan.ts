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
  /** Script elements that run code (not JSON-LD, JSON or templates). */
  codeScripts: number;
  /** `<noscript>` elements. */
  noscripts: Element[];
  /** Elements a client-side framework mounts its app into (`#root`, `#app`, `#__next`, `[data-reactroot]`, …). */
  mountPoints: Element[];
}

/** Ids that client-side frameworks conventionally render their app into. */
const MOUNT_POINT_IDS = new Set([
  'root',
  'app',
  '__next',
  '__nuxt',
  '___gatsby',
  'svelte',
  'main-app',
  'react-root',
]);

/** Script types that are data, not code. */
const DATA_SCRIPT_TYPE = /json|template|html|text\/(?:x-|plain)/i;

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
    codeScripts: 0,
    noscripts: [],
    mountPoints: [],
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
      case 'script': {
        const type = (attribs.type ?? '').trim().toLowerCase();
        if (type === 'application/ld+json') scan.jsonLdScripts.push(el);
        else if (!DATA_SCRIPT_TYPE.test(type)) scan.codeScripts++;
        break;
      }
      case 'noscript':
        scan.noscripts.push(el);
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
    if (
      (attribs.id !== undefined && MOUNT_POINT_IDS.has(attribs.id)) ||
      attribs['data-reactroot'] !== undefined ||
      attribs['ng-app'] !== undefined ||
      attribs['ng-version'] !== undefined
    ) {
      scan.mountPoints.push(el);
    }
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
