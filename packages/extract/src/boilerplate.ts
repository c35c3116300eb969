import type { Element } from 'domhandler';
import { textContent } from './dom-utils.js';

/** Longest class + id string looked at; megabyte attributes are cut to this. */
const MAX_SIGNAL_CHARS = 400;

/** Structural elements that hold page chrome rather than content (captions and credits count as chrome). */
const CHROME_TAGS = new Set(['nav', 'aside', 'footer', 'figcaption']);
/** Elements that are chrome unless they hold the main content (ASP.NET pages wrap everything in a form). */
const WRAPPER_CHROME_TAGS = new Set(['form']);

/** ARIA roles of page chrome. */
const CHROME_ROLES = new Set([
  'navigation',
  'banner',
  'contentinfo',
  'complementary',
  'menu',
  'menubar',
  'search',
  'dialog',
  'alertdialog',
  'toolbar',
  'tablist',
]);

/**
 * Class / id words of page chrome, matched as whole words (separated by white space, `-` or `_`). Groups:
 * navigation, page frame, consent and marketing, sharing and comments, ads, author boxes, captions and credits,
 * post metadata, things hidden from print or screen, and overlays.
 */
const CHROME_WORD_GROUPS = [
  String.raw`nav|navbar|navigation|menu|menus|breadcrumbs?\w*|crumbs?|pagination\w*|pager|skip-?link|jump-?links?`,
  String.raw`toc-?container|toc-?list|toc_container|toc_list|ez-toc\w*|table-?of-?contents`,
  String.raw`sidebar\w*|side-?bar|footer\w*|site-?footer|site-?header|masthead|banner|toolbar`,
  String.raw`cookies?|cookie-?\w+|consent|gdpr|newsletter\w*|subscribe|subscription|login|signup`,
  String.raw`share|shares|sharing|share-?\w+|social\w*|comments?\w*|comment-?\w+|disqus`,
  String.raw`related\w*|recommend\w*|popular|trending|more-?stories|further-?reading|outbrain|taboola`,
  String.raw`advert\w*|ads|ad|ad-?(?:slot|unit|container|wrapper|box|banner|block|zone|space|label|text|vert\w*)`,
  String.raw`sponsor\w*|promo\w*|affiliate\w*|disclosure`,
  String.raw`author-?(?:box|bio|info|description|profile|section|container|details)|about-?(?:the-?)?author`,
  String.raw`authors?|bio|biography|contributor-?\w*|byline|dateline|timestamp`,
  String.raw`caption|wp-caption\w*|legend|credits?|copyright`,
  String.raw`meta|metadata|post-?meta|entry-?meta|article-?meta|tag-?cloud|tags|tag-?list`,
  String.raw`noprint|no-print|hide-print|hidden-print|d-print-none|print-?only`,
  String.raw`sr-only|screen-reader-text|visually-hidden|modal|popup|overlay`,
];
const CHROME_WORDS = new RegExp(String.raw`(?:^|[\s_-])(?:${CHROME_WORD_GROUPS.join('|')})(?=$|[\s_-])`, 'i');

/** Class / id words of content wrappers, which outweigh a chrome word in the same attribute. */
const CONTENT_WORDS =
  /(?:^|[\s_-])(?:article|articlebody|article-?body|article__body|entry-?content|post-?content|post-?body|story-?body|main-?content|content-?main|page-?content|text-?content|body-?text|prose|hentry|h-entry)(?=$|[\s_-])/i;

/** Class / id words that add to a container's score. */
const POSITIVE =
  /(?:^|[\s_-])(?:article|body|content|entry|main|page|post|text|blog|story|prose|hentry|h-entry|news|detail|abstract|paragraph)/i;
/** Class / id words that subtract from a container's score. */
const NEGATIVE =
  /(?:^|[\s_-])(?:comment|footer|foot|sidebar|side|related|share|social|sponsor|advert|ads?(?:$|[\s_-])|promo|banner|masthead|breadcrumb|pagination|pager|nav|menu|cookie|consent|newsletter|subscribe|popup|modal|recommend|tagcloud|tags|byline|meta(?:$|[\s_-])|caption|toolbar|rating|login|search|outbrain|taboola)/i;

function signals(el: Element): string {
  const value = `${el.attribs.class ?? ''} ${el.attribs.id ?? ''}`;
  return value.length > MAX_SIGNAL_CHARS ? value.slice(0, MAX_SIGNAL_CHARS) : value;
}

/** True for elements a reader cannot see: `hidden`, `aria-hidden`, inline `display:none` / `visibility:hidden`. */
export function isInvisible(el: Element): boolean {
  const attribs = el.attribs;
  if (attribs.hidden !== undefined) return true;
  if (attribs['aria-hidden'] === 'true' && el.name !== 'html' && el.name !== 'body') return true;
  const style = attribs.style;
  if (style !== undefined && style.length < 2000) {
    const compact = style.replace(/\s+/g, '').toLowerCase();
    if (compact.includes('display:none') || compact.includes('visibility:hidden')) return true;
  }
  return false;
}

/**
 * True for elements that look like page chrome (navigation, footers, comments, sharing, ads, consent banners) by
 * tag, ARIA role or class/id words — unless they also carry a content word or hold most of the page's text
 * (`pageChars` is the page's total text length), which is how layout wrappers named after a sidebar survive.
 */
export function isBoilerplate(el: Element, pageChars: number): boolean {
  const name = el.name;
  if (name === 'html' || name === 'body' || name === 'main' || name === 'article') return false;
  const role = el.attribs.role;
  let chrome =
    CHROME_TAGS.has(name) ||
    WRAPPER_CHROME_TAGS.has(name) ||
    (role !== undefined && CHROME_ROLES.has(role.trim().toLowerCase()));
  if (!chrome) {
    const words = signals(el);
    if (words.length < 2 || !CHROME_WORDS.test(words) || CONTENT_WORDS.test(words)) return false;
    chrome = true;
  }
  // Keep wrappers that hold the article or most of the page, whatever they are called.
  if (!CHROME_TAGS.has(name) && holdsMainContent(el)) return false;
  const limit = Math.floor(pageChars * 0.5);
  return limit < 500 || textContent(el, limit + 1).length <= limit;
}

/** Most elements looked at when searching a wrapper for the main content. */
const MAX_MARKER_SEARCH = 5000;

/** True when `el` contains a `<main>`, an `<h1>`, microdata article body or a content-named element. */
function holdsMainContent(el: Element): boolean {
  const stack: Element[] = [];
  const push = (node: Element): void => {
    for (const child of node.children) if (child.type === 'tag') stack.push(child as Element);
  };
  push(el);
  let seen = 0;
  while (stack.length > 0 && seen++ < MAX_MARKER_SEARCH) {
    const node = stack.pop()!;
    if (node.name === 'main' || node.name === 'h1') return true;
    const prop = node.attribs.itemprop;
    if (prop !== undefined && /articlebody|text/i.test(prop)) return true;
    const words = signals(node);
    if (words.length > 2 && CONTENT_WORDS.test(words)) return true;
    push(node);
  }
  return false;
}

/** Score adjustment for a candidate container from its class and id: +25 content-like, −25 chrome-like. */
export function classWeight(el: Element): number {
  const words = signals(el);
  if (words.length < 2) return 0;
  let weight = 0;
  if (NEGATIVE.test(words)) weight -= 25;
  if (POSITIVE.test(words)) weight += 25;
  return weight;
}
