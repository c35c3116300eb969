import { readFileSync, existsSync } from 'node:fs';
import { decodeHtml, parseHtml } from '@gleaner/extract';
import { scanPage } from '../../packages/extract/src/page-scan.js';
import { collectBlocks } from '../../packages/extract/src/collect-blocks.js';
import { selectContent } from '../../packages/extract/src/select-content.js';
import { textContent } from '../../packages/extract/src/dom-utils.js';
const dir = '/work/shared/corpus/trafilatura-eval';
const data = JSON.parse(readFileSync(`${dir}/evaldata.json`, 'utf8')) as Record<string, { file: string; with: string[]; without: string[] }>;
const ws = (s: string) => s.replace(/\s+/g, ' ').trim();
const cls = (e: any) => `${e.name}.${(e.attribs?.class ?? '').slice(0, 40)}${e.attribs?.id ? '#' + e.attribs.id.slice(0, 20) : ''}`;
for (const [, item] of Object.entries(data)) {
  const p = [`${dir}/cache/${item.file}`, `${dir}/eval/${item.file}`].find((f) => existsSync(f));
  if (!p) continue;
  const doc = parseHtml(decodeHtml(new Uint8Array(readFileSync(p))).text);
  const body = scanPage(doc).body; if (!body) continue;
  const pageChars = textContent(body).length;
  const idx = collectBlocks(body, { resolveHref: (h) => (h.startsWith('http') ? h : undefined), pruneBoilerplate: true, pageChars });
  const keep = selectContent(idx, body);
  const first = keep.indexOf(true), last = keep.lastIndexOf(true);
  for (const chunk of item.with) {
    const c = ws(chunk);
    const bi = idx.blocks.findIndex((b) => ws(b.text).includes(c));
    if (bi < 0 || keep[bi]) continue;
    const b = idx.blocks[bi]!;
    const where = bi < first ? `before(${first - bi})` : bi > last ? `after(${bi - last})` : 'between';
    console.log(`${where}\t${b.kind}\t${b.text.length}\t${b.linkChars}\t${c.slice(0, 30)}\t${[b.owner, b.owner.parent, b.owner.parent?.parent].filter(Boolean).map(cls).join(' < ')}`);
  }
}
