import type { Element } from 'domhandler';
import type { Block, BlockIndex } from './collect-blocks.js';
import type { Stats } from './content-stats.js';

/*
 * Rules applied after the main container is chosen. Each was kept because it raised F1 on the trafilatura-eval
 * corpus (see bench/extract); all are general (structure, text shape, class words), none names a site.
 */

/** Lines shorter than this (characters) and without a full stop are trimmed from the end of the content. */
const TAIL_CHARS = 60;
/** The same, for non-heading lines at the start of the content. */
const HEAD_CHARS = 30;
const SENTENCE_END = /[.!?…。！？]["'”’»)]?$/;
/** Blocks outside the chosen container at least this long (characters) and nearly link-free join the content. */
const OUTSIDE_PROSE_CHARS = 100;
/** The same, for blocks after the end of the chosen container, where page chrome is more common. */
const OUTSIDE_PROSE_AFTER_CHARS = 200;
/** Largest share of link text in such a block (and in a standfirst). */
const OUTSIDE_PROSE_MAX_LINK_DENSITY = 0.2;
/** A standfirst just above the content needs at least this many characters. */
const LEAD_CHARS = 40;
/** Teaser-named parts inside the container shorter than this (characters) are dropped. */
const MAX_TEASER_CHARS = 300;
/** Largest share of link text in a kept block, and in a kept part (list, div, table) inside the container. */
const MAX_LINK_DENSITY = 0.4;
/** How many ancestors of a block are checked for teaser-like names. */
const TEASER_LEVELS = 4;

/** Class / id words of containers that hold excerpts of other pages or side notes rather than the article. */
const TEASER_WORDS =
  /teaser|widget|card|snippet|excerpt|related|author|bio|comment|sidebar|footer|promo|newsletter|subscri|archive|listing|slider|carousel/i;

/** Parts of the container judged by their link density. */
const PART_TAGS = new Set([
  'ul',
  'ol',
  'dl',
  'div',
  'section',
  'table',
  'form',
  'aside',
  'header',
  'footer',
  'nav',
  'figure',
]);

function classAndId(el: Element): string {
  return `${el.attribs.class ?? ''} ${el.attribs.id ?? ''}`.slice(0, 400);
}

/**
 * Refine the blocks chosen from the main container(s) in `chosen`: drop link-heavy and teaser parts inside them,
 * add prose and the standfirst from outside them, drop orphan headings, and trim chrome lines at both ends.
 */
export function refineSelection(index: BlockIndex, stats: Stats, chosen: Element[], keep: boolean[]): void {
  const { blocks } = index;
  dropLinkHeavy(index, stats, chosen, keep);
  const container = keep.slice();
  addOutsideProse(blocks, keep, keep.lastIndexOf(true));
  addLead(blocks, keep);
  dropOrphanHeadings(blocks, keep);
  trimTail(blocks, keep);
  trimHead(blocks, keep);
  // Tiny pages (a heading, a line or two) are all "chrome-shaped": keep the container as it was.
  if (!keep.includes(true)) for (let i = 0; i < keep.length; i++) keep[i] = container[i]!;
}

/** Inside the chosen containers, drop sub-containers and blocks that are mostly links (related links, tag lists). */
function dropLinkHeavy(index: BlockIndex, stats: Stats, chosen: Element[], keep: boolean[]): void {
  const { blocks, ranges } = index;
  // The chosen containers and everything above them stay; only parts inside them are judged.
  const above = new Set<Element>();
  for (const el of chosen) {
    for (let node: Element | null = el; node && node.type === 'tag'; node = node.parent as Element | null)
      above.add(node);
  }
  for (const [el, r] of ranges) {
    if (r.end <= r.start || !PART_TAGS.has(el.name) || above.has(el) || !keep[r.start]) continue;
    const density = stats.linkDensity(el);
    const text = stats.text(el);
    const teaser = text < MAX_TEASER_CHARS && TEASER_WORDS.test(classAndId(el));
    if (teaser || density > MAX_LINK_DENSITY || (density > 0.33 && text < 300)) {
      for (let i = r.start; i < r.end; i++) keep[i] = false;
    }
  }
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    if (keep[i] && block.text.length > 0 && block.linkChars / block.text.length > MAX_LINK_DENSITY)
      keep[i] = false;
  }
}

/**
 * Articles are often split over several containers (lead, body, info boxes). Long, link-free prose elsewhere on
 * the page joins the content; chrome-looking parts were already pruned before scoring.
 */
function addOutsideProse(blocks: Block[], keep: boolean[], containerEnd: number): void {
  for (let i = 0; i < blocks.length; i++) {
    if (keep[i]) continue;
    const block = blocks[i]!;
    if (containerEnd >= 0 && i > containerEnd && block.text.length < OUTSIDE_PROSE_AFTER_CHARS) continue;
    if (block.kind === 'code' || block.kind === 'table') continue;
    if (
      block.text.length < OUTSIDE_PROSE_CHARS ||
      block.linkChars / block.text.length > OUTSIDE_PROSE_MAX_LINK_DENSITY
    )
      continue;
    if (!/[.!?。！？:;]/.test(block.text)) continue;
    if (inTeaserLikeContainer(block.owner)) continue;
    keep[i] = true;
  }
}

/** The standfirst or subtitle just above the article body (often in a header of its own) belongs to it. */
function addLead(blocks: Block[], keep: boolean[]): void {
  const first = keep.indexOf(true);
  if (first <= 0) return;
  const block = blocks[first - 1]!;
  if (block.kind === 'heading' && block.level === 1) return;
  if (block.text.length < LEAD_CHARS || block.linkChars / block.text.length > OUTSIDE_PROSE_MAX_LINK_DENSITY)
    return;
  keep[first - 1] = true;
}

/** True when the block's owner or a near ancestor is named like a teaser, widget, bio or list of excerpts. */
function inTeaserLikeContainer(owner: Element): boolean {
  let el: Element | null = owner;
  for (let level = 0; level < TEASER_LEVELS && el && el.type === 'tag'; level++) {
    if (el.name === 'body') return false;
    const words = classAndId(el);
    if (words.length > 1 && TEASER_WORDS.test(words)) return true;
    el = el.parent as Element | null;
  }
  return false;
}

/** Headings with nothing under them (the list they introduced was dropped): "Related articles", "Comments". */
function dropOrphanHeadings(blocks: Block[], keep: boolean[]): void {
  let next: Block | undefined;
  for (let i = blocks.length - 1; i >= 0; i--) {
    if (!keep[i]) continue;
    const block = blocks[i]!;
    if (
      block.kind === 'heading' &&
      (next === undefined || (next.kind === 'heading' && next.level <= block.level))
    ) {
      keep[i] = false;
      continue;
    }
    next = block;
  }
}

/**
 * Short lines without a full stop after the last sentence of the article are nearly always chrome ("Share",
 * "Tags:", "Print", dates, credits). Drop them from the end backwards.
 */
function trimTail(blocks: Block[], keep: boolean[]): void {
  let last = -1;
  for (let i = blocks.length - 1; i >= 0; i--) {
    if (!keep[i]) continue;
    const block = blocks[i]!;
    if (
      block.kind === 'code' ||
      block.kind === 'table' ||
      block.text.length >= TAIL_CHARS ||
      SENTENCE_END.test(block.text)
    ) {
      last = i;
      break;
    }
  }
  for (let i = last + 1; i < blocks.length; i++) keep[i] = false;
}

/** Before the article's first sentence, short non-heading lines (dates, bylines, "Print") are chrome too. */
function trimHead(blocks: Block[], keep: boolean[]): void {
  for (let i = 0; i < blocks.length; i++) {
    if (!keep[i]) continue;
    const block = blocks[i]!;
    if (block.kind === 'heading') continue;
    if (
      block.kind === 'code' ||
      block.kind === 'table' ||
      block.text.length >= HEAD_CHARS ||
      SENTENCE_END.test(block.text)
    )
      return;
    keep[i] = false;
  }
}
