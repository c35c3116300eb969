import type { Element } from 'domhandler';
import type { Block, BlockIndex } from './collect-blocks.js';
import { classWeight } from './boilerplate.js';
import { refineSelection } from './refine-selection.js';
import { Stats } from './content-stats.js';

/** Blocks shorter than this (characters) add nothing to their containers' scores. */
const MIN_SCORED_CHARS = 25;
/** How many ancestors of a block's owner receive a share of its score. */
const SCORED_ANCESTORS = 5;

const TAG_WEIGHT: Readonly<Record<string, number>> = {
  article: 10,
  main: 8,
  section: 2,
  div: 5,
  td: 3,
  pre: 3,
  blockquote: 3,
  form: -3,
  ol: -3,
  ul: -3,
  dl: -3,
  dd: -3,
  dt: -3,
  li: -3,
  address: -3,
  h1: -5,
  h2: -5,
  h3: -5,
  h4: -5,
  h5: -5,
  h6: -5,
  th: -5,
};

function blockScore(block: Block): number {
  if (block.kind === 'heading' || block.text.length < MIN_SCORED_CHARS) return 0;
  const commas = block.text.match(/[,，、،]/g)?.length ?? 0;
  const score = 1 + commas + Math.min(3, Math.floor(block.text.length / 100));
  const linkShare = block.linkChars / block.text.length;
  return (block.kind === 'list-item' ? score / 2 : score) * (1 - linkShare);
}

/**
 * Choose the blocks that form the page's main content: score containers from the paragraphs they hold (text
 * length, commas, links), pick the best, widen it to a parent or siblings that score alike, then drop link-heavy
 * parts inside it and add related prose around it ({@link refineSelection}). Returns one flag per block.
 */
export function selectContent(index: BlockIndex, body: Element): boolean[] {
  const { blocks } = index;
  const stats = new Stats(index);
  const scores = new Map<Element, number>();
  const touch = (el: Element): number => {
    let score = scores.get(el);
    if (score === undefined) {
      score = (TAG_WEIGHT[el.name] ?? 0) + classWeight(el);
      scores.set(el, score);
    }
    return score;
  };
  for (const block of blocks) {
    const score = blockScore(block);
    if (score === 0) continue;
    let el = block.owner.parent as Element | null;
    for (let level = 0; level < SCORED_ANCESTORS && el && el.type === 'tag'; level++) {
      const share = level === 0 ? 1 : level === 1 ? 2 : level * 3;
      scores.set(el, touch(el) + score / share);
      el = el.parent as Element | null;
    }
  }
  const keep = new Array<boolean>(blocks.length).fill(false);
  let top: Element | undefined;
  let topScore = -Infinity;
  const finals = new Map<Element, number>();
  for (const [el, score] of scores) {
    const final = score * (1 - stats.linkDensity(el));
    finals.set(el, final);
    if (final > topScore) {
      topScore = final;
      top = el;
    }
  }
  if (!top || topScore <= 0) top = body;
  top = widen(top, topScore, finals, body);

  // Siblings that score like the top candidate belong to the article too.
  const parent = top.parent as Element | null;
  const chosen: Element[] = [];
  if (parent && top !== body) {
    const threshold = Math.max(10, (finals.get(top) ?? topScore) * 0.2);
    for (const sibling of parent.children) {
      if (sibling.type !== 'tag') continue;
      if (sibling === top) {
        chosen.push(sibling);
        continue;
      }
      let score = finals.get(sibling) ?? 0;
      if (score > 0 && sibling.attribs.class && sibling.attribs.class === top.attribs.class)
        score += topScore * 0.2;
      const text = stats.text(sibling);
      const density = stats.linkDensity(sibling);
      const paragraphLike =
        sibling.name === 'p' ||
        sibling.name === 'blockquote' ||
        sibling.name === 'ul' ||
        sibling.name === 'ol' ||
        sibling.name === 'pre' ||
        sibling.name === 'table';
      if (score >= threshold) chosen.push(sibling);
      else if (paragraphLike && text > 80 && density < 0.25) chosen.push(sibling);
      else if (
        sibling.name === 'p' &&
        text > 0 &&
        density === 0 &&
        /[.!?。]$/.test(lastText(index, sibling))
      ) {
        chosen.push(sibling);
      }
    }
  } else {
    chosen.push(top);
  }
  for (const el of chosen) {
    const r = index.ranges.get(el);
    if (!r) continue;
    for (let i = r.start; i < r.end; i++) keep[i] = true;
  }
  refineSelection(index, stats, chosen, keep);
  return keep;
}

function lastText(index: BlockIndex, el: Element): string {
  const r = index.ranges.get(el);
  return r && r.end > r.start ? index.blocks[r.end - 1]!.text : '';
}

/** Move up from the top candidate while its parent scores at least as well (the article is split in parts). */
function widen(top: Element, topScore: number, finals: Map<Element, number>, body: Element): Element {
  let current = top;
  let lastScore = topScore;
  let parent = current.parent as Element | null;
  while (parent && parent !== body && parent.type === 'tag') {
    const score = finals.get(parent);
    if (score === undefined) {
      parent = parent.parent as Element | null;
      continue;
    }
    if (score < lastScore / 3) break;
    if (score > lastScore) {
      current = parent;
      break;
    }
    lastScore = score;
    parent = parent.parent as Element | null;
  }
  // A lone child adds nothing: its parent is the same container with more context.
  while (
    current !== body &&
    current.parent &&
    current.parent !== body &&
    current.parent.type === 'tag' &&
    current.parent.children.filter((c) => c.type === 'tag').length === 1
  ) {
    current = current.parent as Element;
  }
  return current;
}
