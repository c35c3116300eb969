import type { Block } from './collect-blocks.js';

/** Markdown and plain text of a run of blocks. */
export interface RenderedContent {
  markdown: string;
  text: string;
}

function indent(block: Block): string {
  return block.listDepth > 1 ? '  '.repeat(block.listDepth - 1) : '';
}

function prefixLines(text: string, prefix: string): string {
  return prefix === ''
    ? text
    : text
        .split('\n')
        .map((line) => prefix + line)
        .join('\n');
}

function markdownOf(block: Block): string {
  let body: string;
  switch (block.kind) {
    case 'heading':
      body = `${'#'.repeat(block.level)} ${block.markdown.replace(/\s*\n\s*/g, ' ')}`;
      break;
    case 'list-item': {
      const pad = indent(block);
      body =
        block.marker === ''
          ? prefixLines(block.markdown, `${pad}  `)
          : `${pad}${block.marker} ${block.markdown.replace(/\n/g, `\n${pad}  `)}`;
      break;
    }
    case 'code':
    case 'table':
      body = block.listDepth > 0 ? prefixLines(block.markdown, '  '.repeat(block.listDepth)) : block.markdown;
      break;
    default:
      // A paragraph that starts like markdown syntax ("# 1", "- x", "1. x", "> x") must not turn into it.
      body = block.markdown.replace(/^(#|>|[-+*](?=\s))/, '\\$1').replace(/^(\d+)([.)])(?=\s)/, '$1\\$2');
  }
  return block.quoteDepth > 0 ? prefixLines(body, '> '.repeat(block.quoteDepth)) : body;
}

/**
 * Render blocks as markdown (headings, paragraphs, nested lists, fenced code, tables, quotes, links) and as plain
 * text with blank lines between paragraphs and single line breaks between items of a list.
 */
export function renderBlocks(blocks: readonly Block[]): RenderedContent {
  const md: string[] = [];
  const text: string[] = [];
  let previous: Block | undefined;
  for (const block of blocks) {
    const tight =
      previous !== undefined &&
      previous.kind === 'list-item' &&
      block.kind === 'list-item' &&
      block.marker !== '' &&
      previous.quoteDepth === block.quoteDepth;
    if (previous !== undefined) {
      md.push(tight ? '\n' : '\n\n');
      text.push(tight ? '\n' : '\n\n');
    }
    md.push(markdownOf(block));
    text.push(block.text);
    previous = block;
  }
  return { markdown: md.join(''), text: text.join('') };
}
