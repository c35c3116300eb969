/**
 * Show, for trafilatura-eval pages, which expected chunks Gleaner missed and which unwanted ones it kept.
 *
 *   node --conditions=source --import tsx bench/extract/inspect.ts FILE... [--text]
 */
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractPage } from '@gleaner/extract';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = path.resolve(repoRoot, '../shared/corpus/trafilatura-eval');
const data = JSON.parse(readFileSync(path.join(dir, 'evaldata.json'), 'utf8')) as Record<
  string,
  { file: string; with: string[]; without: string[] }
>;
const showText = process.argv.includes('--text');
const ws = (s: string): string => s.replace(/\s+/g, ' ').trim();
for (const file of process.argv.slice(2).filter((a) => !a.startsWith('--'))) {
  const entry = Object.entries(data).find(([, v]) => v.file === file);
  if (!entry) continue;
  const [url, item] = entry;
  const p = [path.join(dir, 'cache', file), path.join(dir, 'eval', file)].find((f) => existsSync(f))!;
  let text = '';
  try {
    text = extractPage({ body: new Uint8Array(readFileSync(p)), url }).text;
  } catch (error) {
    text = `ERROR ${(error as Error).message}`;
  }
  const flat = ws(text);
  console.log(`== ${file} (${flat.length} chars)`);
  for (const c of item.with) if (!flat.includes(ws(c))) console.log(`  MISSING: ${c}`);
  for (const c of item.without) if (flat.includes(ws(c))) console.log(`  UNWANTED: ${c}`);
  if (showText) console.log(text.slice(0, 3000));
}
