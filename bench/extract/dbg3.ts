import { readFileSync, existsSync } from 'node:fs';
import { extractPage } from '@gleaner/extract';
const dir = '/work/shared/corpus/trafilatura-eval';
const data = JSON.parse(readFileSync(`${dir}/evaldata.json`, 'utf8')) as Record<string, { file: string; with: string[]; without: string[] }>;
const ws = (s: string) => s.replace(/\s+/g, ' ').trim();
const pos = { before: 0, after: 0, between: 0 }; let shortText = 0, shortFn = 0, errors = 0; const errFiles: string[] = [];
const fnByLen: Record<string, number> = {};
for (const [url, item] of Object.entries(data)) {
  const p = [`${dir}/cache/${item.file}`, `${dir}/eval/${item.file}`].find((f) => existsSync(f));
  if (!p) continue;
  let text = '';
  try { text = ws(extractPage({ body: new Uint8Array(readFileSync(p)), url }).text); } catch (e) { errors++; errFiles.push(item.file + ' ' + (e as Error).message); }
  const withPos = item.with.map((c) => text.indexOf(ws(c))).filter((i) => i >= 0);
  const fn = item.with.length - withPos.length;
  const bucket = text.length < 500 ? '<500' : text.length < 2000 ? '<2000' : '>=2000';
  fnByLen[bucket] = (fnByLen[bucket] ?? 0) + fn;
  for (const c of item.without) { const i = text.indexOf(ws(c)); if (i < 0) continue; if (withPos.length === 0) continue; if (i < Math.min(...withPos)) pos.before++; else if (i > Math.max(...withPos)) pos.after++; else pos.between++; }
}
console.log(pos, fnByLen, errors, errFiles);
