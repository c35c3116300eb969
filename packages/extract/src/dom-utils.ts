import type { AnyNode, Element, ParentNode } from 'domhandler';

/** True for element nodes (including `<script>` and `<style>`, which domhandler types separately). */
export function isElement(node: AnyNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

/** Children of a node that has any, else an empty list. */
export function childrenOf(node: AnyNode): readonly AnyNode[] {
  return 'children' in node ? (node as ParentNode).children : [];
}

/**
 * Concatenated text under `root`, walked with an explicit stack (safe on deep trees), stopping once `maxChars`
 * characters have been collected. Script, style and template contents below `root` are skipped.
 */
export function textContent(root: AnyNode, maxChars = Number.POSITIVE_INFINITY): string {
  const parts: string[] = [];
  let length = 0;
  const stack: AnyNode[] = [root];
  while (stack.length > 0 && length < maxChars) {
    const node = stack.pop()!;
    if (node.type === 'text') {
      parts.push(node.data);
      length += node.data.length;
    } else if (node === root || node.type === 'tag' || node.type === 'root') {
      // Script and style bodies count only when asked for directly (JSON-LD).
      if (node !== root && node.type === 'tag' && (node.name === 'template' || node.name === 'noscript'))
        continue;
      const children = (node as ParentNode).children;
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
    }
  }
  return parts.join('');
}

/** Visit every element under `root` in document order, with an explicit stack. */
export function* walkElements(root: AnyNode): Generator<Element> {
  const stack: AnyNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isElement(node)) yield node;
    const children = childrenOf(node);
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i]!;
      if (child.type !== 'text' && child.type !== 'comment') stack.push(child);
    }
  }
}

/** Collapse runs of white space to one space and trim. */
export function normalizeSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
