import { readFileSync, existsSync } from 'node:fs';
import { decodeHtml, parseHtml } from '@gleaner/extract';
import { scanPage } from '../../packages/extract/src/page-scan.js';
import { collectBlocks } from '../../packages/extract/src/collect-blocks.js';
import { selectContent } from '../../packages/extract/src/select-content.js';
import { textContent } from '../../packages/extract/src/dom-utils.js';
import { isBoilerplate, isInvisible } from '../../packages/extract/src/boilerplate.js';
const dir = '/work/shared/corpus/trafilatura-eval';
const data = JSON.parse(readFileSync(`${dir}/evaldata.json`, 'utf8')) as Record<string, { file: string; with: string[]; without: string[] }>;
const ws = (s: string) => s.replace(/\s+/g, ' ').trim();
const files = process.argv.slice(2);
for (const [, item] of Object.entries(data)) {
  if (!files.includes(item.file)) continue;
  const p = [`${dir}/cache/${item.file}`, `${dir}/eval/${item.file}`].find((f) => existsSync(f))!;
  const doc = parseHtml(decodeHtml(new Uint8Array(readFileSync(p))).text);
  const body = scanPage(doc).body; if (!body) continue;
  const pageChars = textContent(body).length;
  const idx = collectBlocks(body, { resolveHref: (h) => (h.startsWith('http') ? h : undefined), pruneBoilerplate: true, pageChars });
  const keep = selectContent(idx, body);
  for (const chunk of item.with) {
    const c = ws(chunk);
    const bi = idx.blocks.findIndex((b) => ws(b.text).includes(c));
    if (bi >= 0 && keep[bi]) continue;
    if (bi >= 0) { const b = idx.blocks[bi]!; console.log(`${item.file}: DROPPED block ${b.kind} ${b.owner.name}.${b.owner.attribs.class ?? ''} links ${b.linkChars}/${b.text.length}: ${c.slice(0, 40)}`); continue; }
    // find pruning ancestor
    const stack: any[] = [doc]; let found: any;
    while (stack.length) { const n = stack.pop(); if (n.type === 'text' && ws(n.data).includes(c.slice(0, 15))) { found = n; break; } if (n.children) for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]); }
    let why = 'not found in a text node';
    for (let e = found?.parent; e && e.name; e = e.parent) { if (isInvisible(e)) { why = `invisible ${e.name}.${e.attribs.class ?? ''} style=${e.attribs.style ?? ''}`; break; } if (isBoilerplate(e, pageChars)) { why = `pruned ${e.name}.${(e.attribs.class ?? '').slice(0, 50)}#${e.attribs.id ?? ''} role=${e.attribs.role ?? ''}`; break; } if (['script','style','noscript','template','iframe','select','button','textarea'].includes(e.name)) { why = 'in ' + e.name; break; } }
    console.log(`${item.file}: MISSING ${why}: ${c.slice(0, 40)}`);
  }
}
