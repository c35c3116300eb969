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
  const p = [`${dir}/cache/${item.file}`, `${dir}/eval/${item.file}`].find((f) => existsSync(f))!;
  if (!p) continue;
  const doc = parseHtml(decodeHtml(new Uint8Array(readFileSync(p))).text);
  const body = scanPage(doc).body; if (!body) continue;
  const pageChars = textContent(body).length;
  const idx = collectBlocks(body, { resolveHref: (h) => (h.startsWith('http') ? h : undefined), pruneBoilerplate: true, pageChars });
  const keep = selectContent(idx, body);
  const kept = idx.blocks.map((b, i) => (keep[i] ? i : -1)).filter((i) => i >= 0);
  const withIdx = item.with.map((c) => kept.find((i) => ws(idx.blocks[i]!.text).includes(ws(c)))).filter((x) => x !== undefined) as number[];
  for (const chunk of item.without) {
    const bi = kept.find((i) => ws(idx.blocks[i]!.text).includes(ws(chunk)));
    if (bi === undefined) continue;
    const b = idx.blocks[bi]!;
    const where = withIdx.length === 0 ? 'nowith' : bi < Math.min(...withIdx) ? 'before' : bi > Math.max(...withIdx) ? 'after' : 'between';
    const chain = [b.owner, b.owner.parent, b.owner.parent?.parent].filter(Boolean).map(cls).join(' < ');
    console.log(`${where}\t${b.kind}\t${b.text.length}\t${b.linkChars}\t${chunk.slice(0, 30)}\t${chain}`);
  }
}
