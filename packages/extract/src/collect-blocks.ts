import type { AnyNode, Element } from 'domhandler';
import { childrenOf, isElement, normalizeSpace, textContent } from './dom-utils.js';
import { isBoilerplate, isInvisible } from './boilerplate.js';

/** Kinds of block the extractor keeps. */
export type BlockKind = 'heading' | 'paragraph' | 'list-item' | 'code' | 'table';

/** One block of text in document order, with what rendering and scoring need to know about it. */
export interface Block {
  kind: BlockKind;
  /** Heading level 1–6 (0 for other kinds). */
  level: number;
  /** Innermost block-level element the text belongs to. */
  owner: Element;
  /** Inline markdown (links and emphasis kept). For code and tables, the full rendering. */
  markdown: string;
  /** Plain text. */
  text: string;
  /** Characters of `text` inside links to other pages. */
  linkChars: number;
  /** Nesting depth in lists (1 for a top-level item; 0 outside lists). */
  listDepth: number;
  /** Item marker for list items: `-` or `1.`; empty for continuation paragraphs. */
  marker: string;
  /** Number of enclosing `<blockquote>` elements. */
  quoteDepth: number;
}

/** Blocks plus, for each element walked, the half-open range of block indices it contains. */
export interface BlockIndex {
  blocks: Block[];
  ranges: Map<Element, { start: number; end: number }>;
}

const BLOCK_TAGS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'center',
  'dd',
  'details',
  'dialog',
  'dir',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hgroup',
  'hr',
  'html',
  'li',
  'main',
  'menu',
  'nav',
  'ol',
  'p',
  'section',
  'summary',
  'table',
  'tbody',
  'thead',
  'tfoot',
  'tr',
  'td',
  'th',
  'ul',
  'caption',
  'legend',
  'option',
]);

/** Elements whose content is never page text. */
const SKIP_TAGS = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'math',
  'rt',
  'rp',
  'canvas',
  'iframe',
  'object',
  'embed',
  'audio',
  'video',
  'select',
  'button',
  'input',
  'textarea',
  'head',
  'title',
  'link',
  'meta',
  'map',
  'picture',
  'source',
  'dialog',
]);

const HEADING = /^h([1-6])$/;
/** Stands for a `<br>` until white space has been collapsed. */
const BREAK = '\uE000';

interface Inline {
  kind: 'link' | 'strong' | 'em' | 'code';
  mdStart: number;
  generation: number;
  href?: string;
}

interface ListFrame {
  ordered: boolean;
  count: number;
}

interface ItemFrame {
  marker: string;
  emitted: boolean;
  depth: number;
}

/** Options for {@link collectBlocks}. */
export interface CollectOptions {
  /** Resolve a link target to an absolute http(s) URL, or undefined to drop the link. */
  resolveHref: (href: string) => string | undefined;
  /** Skip elements that look like navigation, footers, comments, sharing widgets (default true). */
  pruneBoilerplate: boolean;
  /** Total characters of text on the page, used to keep boilerplate-looking wrappers that hold most of it. */
  pageChars: number;
}

/**
 * Walk `root` once, with an explicit stack, and cut its visible text into blocks (headings, paragraphs, list
 * items, code, tables) with inline markdown and link statistics.
 */
export function collectBlocks(root: Element, options: CollectOptions): BlockIndex {
  const blocks: Block[] = [];
  const ranges = new Map<Element, { start: number; end: number }>();
  let md: string[] = [];
  let txt: string[] = [];
  let linkChars = 0;
  let generation = 0;
  const openBlocks: Element[] = [];
  const inlines: Inline[] = [];
  const lists: ListFrame[] = [];
  const items: ItemFrame[] = [];
  let quoteDepth = 0;

  const flush = (): void => {
    const owner = openBlocks[openBlocks.length - 1];
    const rawText = txt.join('');
    const rawMd = md.join('');
    const linkCount = linkChars;
    md = [];
    txt = [];
    linkChars = 0;
    generation++;
    if (!owner) return;
    const text = collapse(rawText, '\n');
    if (text === '') return;
    const markdown = collapse(rawMd, '  \n');
    const heading = HEADING.exec(owner.name);
    const item = items[items.length - 1];
    let kind: BlockKind = heading ? 'heading' : 'paragraph';
    let marker = '';
    if (item && !heading) {
      kind = 'list-item';
      marker = item.emitted ? '' : item.marker;
      item.emitted = true;
    }
    blocks.push({
      kind,
      level: heading ? Number(heading[1]) : 0,
      owner,
      markdown,
      text,
      linkChars: Math.min(linkCount, text.length),
      listDepth: item?.depth ?? 0,
      marker,
      quoteDepth,
    });
  };

  let linkDepth = 0;
  const pushText = (data: string): void => {
    md.push(data);
    txt.push(data);
    // Counted per text node, so links wrapped around whole blocks (teaser cards) count too.
    if (linkDepth > 0) linkChars += data.replace(/\s+/g, ' ').length;
  };

  type Entry = { node: AnyNode; exit: false } | { node: Element; exit: true };
  const stack: Entry[] = [{ node: root, exit: false }];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    if (entry.exit) {
      closeElement(entry.node);
      continue;
    }
    const node = entry.node;
    if (node.type === 'text') {
      pushText(node.data);
      continue;
    }
    if (!isElement(node)) continue;
    const name = node.name;
    if (SKIP_TAGS.has(name) || isInvisible(node)) continue;
    if (options.pruneBoilerplate && node !== root && isBoilerplate(node, options.pageChars)) continue;
    if (name === 'br') {
      pushText(BREAK);
      continue;
    }
    if (name === 'img' || name === 'hr' || name === 'wbr') continue;
    if (name === 'pre') {
      openBlock(node);
      const start = blocks.length;
      pushCode(node);
      ranges.set(node, { start, end: blocks.length });
      openBlocks.pop();
      continue;
    }
    if (name === 'table' && isDataTable(node)) {
      flush();
      const start = blocks.length;
      pushTable(node);
      ranges.set(node, { start, end: blocks.length });
      continue;
    }
    openElement(node);
    stack.push({ node, exit: true });
    const children = node.children;
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i]!, exit: false });
  }
  flush();
  return { blocks, ranges };

  function openBlock(el: Element): void {
    flush();
    openBlocks.push(el);
  }

  function openElement(el: Element): void {
    const name = el.name;
    if (BLOCK_TAGS.has(name)) {
      openBlock(el);
      if (name === 'ul' || name === 'ol' || name === 'menu' || name === 'dir') {
        lists.push({ ordered: name === 'ol', count: 0 });
      } else if (name === 'li') {
        const list = lists[lists.length - 1];
        const ordinal = list ? ++list.count : 1;
        items.push({
          marker: list?.ordered ? `${ordinal}.` : '-',
          emitted: false,
          depth: Math.max(1, lists.length),
        });
      } else if (name === 'blockquote') {
        quoteDepth++;
      }
    } else if (name === 'a') {
      const href = el.attribs.href;
      const target =
        href !== undefined && !href.trim().startsWith('#') ? options.resolveHref(href) : undefined;
      inlines.push({ kind: 'link', mdStart: md.length, generation, href: target });
      if (target !== undefined) linkDepth++;
    } else if (name === 'strong' || name === 'b') {
      inlines.push({ kind: 'strong', mdStart: md.length, generation });
    } else if (name === 'em' || name === 'i') {
      inlines.push({ kind: 'em', mdStart: md.length, generation });
    } else if (name === 'code' || name === 'kbd' || name === 'samp' || name === 'tt') {
      inlines.push({ kind: 'code', mdStart: md.length, generation });
    }
    ranges.set(el, { start: blocks.length, end: blocks.length });
  }

  function closeElement(el: Element): void {
    const name = el.name;
    if (BLOCK_TAGS.has(name)) {
      flush();
      openBlocks.pop();
      if (name === 'ul' || name === 'ol' || name === 'menu' || name === 'dir') lists.pop();
      else if (name === 'li') items.pop();
      else if (name === 'blockquote') quoteDepth--;
    } else if (
      name === 'a' ||
      name === 'strong' ||
      name === 'b' ||
      name === 'em' ||
      name === 'i' ||
      name === 'code' ||
      name === 'kbd' ||
      name === 'samp' ||
      name === 'tt'
    ) {
      const inline = inlines.pop();
      if (inline?.kind === 'link' && inline.href !== undefined) linkDepth--;
      if (inline && inline.generation === generation) wrapInline(inline);
    }
    const range = ranges.get(el);
    if (range) range.end = blocks.length;
  }

  function wrapInline(inline: Inline): void {
    const inner = md.slice(inline.mdStart).join('');
    const trimmed = collapse(inner, ' ');
    if (trimmed === '') return;
    let wrapped: string;
    if (inline.kind === 'link') {
      if (inline.href === undefined) return;
      wrapped = `[${trimmed.replace(/[[\]]/g, '\\$&')}](${inline.href.replace(/[()\s]/g, encodeURIComponent)})`;
    } else if (inline.kind === 'strong') {
      wrapped = `**${trimmed}**`;
    } else if (inline.kind === 'em') {
      wrapped = `_${trimmed}_`;
    } else {
      wrapped = trimmed.includes('`') ? `\`\` ${trimmed} \`\`` : `\`${trimmed}\``;
    }
    const lead = /^\s/.test(inner) ? ' ' : '';
    const trail = /\s$/.test(inner) ? ' ' : '';
    md.length = inline.mdStart;
    md.push(lead + wrapped + trail);
  }

  function pushCode(pre: Element): void {
    const raw = textContent(pre).replace(/^\n/, '').replace(/\s+$/, '');
    if (raw.trim() === '') return;
    const classes = `${pre.attribs.class ?? ''} ${firstChildClass(pre)}`;
    const lang = /(?:^|\s)(?:lang(?:uage)?-)([\w+#-]+)/.exec(classes)?.[1] ?? '';
    const fence = raw.includes('```') ? '~~~~' : '```';
    blocks.push({
      kind: 'code',
      level: 0,
      owner: pre,
      markdown: `${fence}${lang}\n${raw}\n${fence}`,
      text: raw,
      linkChars: 0,
      listDepth: items[items.length - 1]?.depth ?? 0,
      marker: '',
      quoteDepth,
    });
  }

  function pushTable(table: Element): void {
    const rows = tableRows(table);
    const cells: string[][] = [];
    let links = 0;
    for (const row of rows) {
      const line: string[] = [];
      for (const cell of childrenOf(row)) {
        if (!isElement(cell) || (cell.name !== 'td' && cell.name !== 'th')) continue;
        line.push(normalizeSpace(textContent(cell)));
        links += linkTextLength(cell);
      }
      if (line.some((c) => c !== '')) cells.push(line);
    }
    const caption = childrenOf(table).find((c): c is Element => isElement(c) && c.name === 'caption');
    const captionText = caption ? normalizeSpace(textContent(caption)) : '';
    if (cells.length === 0) return;
    const width = Math.max(...cells.map((r) => r.length));
    const pad = (r: string[]): string[] => [...r, ...Array<string>(width - r.length).fill('')];
    const esc = (c: string): string => c.replace(/\|/g, '\\|');
    const lines = cells.map((r) => `| ${pad(r).map(esc).join(' | ')} |`);
    lines.splice(1, 0, `|${' --- |'.repeat(width)}`);
    const text = [captionText, ...cells.map((r) => r.filter((c) => c !== '').join('\t'))]
      .filter(Boolean)
      .join('\n');
    blocks.push({
      kind: 'table',
      level: 0,
      owner: table,
      markdown: (captionText ? `${captionText}\n\n` : '') + lines.join('\n'),
      text,
      linkChars: Math.min(links, text.length),
      listDepth: items[items.length - 1]?.depth ?? 0,
      marker: '',
      quoteDepth,
    });
  }
}

/** Collapse white space (keeping `<br>` breaks as `breakWith`) and trim. */
function collapse(raw: string, breakWith: string): string {
  return raw
    .replace(/[ \t\n\r\f\v\u00a0\u200b]+/g, ' ')
    .replace(/ ?\uE000 ?/g, BREAK)
    .replace(/^\uE000+|\uE000+$/g, '')
    .replace(/\uE000+/g, breakWith)
    .trim();
}

function firstChildClass(el: Element): string {
  const first = el.children.find(isElement);
  return first?.attribs.class ?? '';
}

/** Rows of a table, looking through thead/tbody/tfoot but not into nested tables. */
function tableRows(table: Element): Element[] {
  const rows: Element[] = [];
  for (const child of table.children) {
    if (!isElement(child)) continue;
    if (child.name === 'tr') rows.push(child);
    else if (child.name === 'thead' || child.name === 'tbody' || child.name === 'tfoot') {
      for (const row of child.children) if (isElement(row) && row.name === 'tr') rows.push(row);
    }
  }
  return rows;
}

const CELL_BLOCKS = new Set([
  'table',
  'div',
  'p',
  'ul',
  'ol',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'pre',
  'form',
]);

/** A table of data (rendered as a markdown table) rather than a table used for page layout. */
function isDataTable(table: Element): boolean {
  if (table.attribs.role === 'presentation') return false;
  const rows = tableRows(table);
  if (rows.length === 0 || rows.length > 2000) return false;
  let maxCells = 0;
  let hasHeader = false;
  for (const row of rows) {
    let count = 0;
    for (const cell of row.children) {
      if (!isElement(cell) || (cell.name !== 'td' && cell.name !== 'th')) continue;
      count++;
      if (cell.name === 'th') hasHeader = true;
      // Cells holding block structure mean layout.
      const stack: AnyNode[] = cell.children.slice(0, 2000);
      let seen = 0;
      while (stack.length > 0 && seen < 2000) {
        const node = stack.pop()!;
        seen++;
        if (!isElement(node)) continue;
        if (CELL_BLOCKS.has(node.name)) return false;
        for (const child of node.children) stack.push(child);
      }
      if (seen >= 2000) return false;
    }
    maxCells = Math.max(maxCells, count);
  }
  return maxCells >= 2 && (hasHeader || rows.length >= 2);
}

function linkTextLength(el: Element): number {
  let total = 0;
  const stack: AnyNode[] = [el];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isElement(node)) {
      if (node.name === 'a' && node.attribs.href && !node.attribs.href.startsWith('#')) {
        total += normalizeSpace(textContent(node)).length;
        continue;
      }
      for (const child of node.children) stack.push(child);
    }
  }
  return total;
}
