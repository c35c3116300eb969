import { readFileSync, readdirSync } from 'node:fs';
import { extractPage } from '@gleaner/extract';
const dir = '/work/shared/corpus/readability-pages';
const ws = (s: unknown) => String(s ?? '').replace(/\s+/g, ' ').trim();
for (const name of readdirSync(dir).sort()) {
  if (name.startsWith('_')) continue;
  const want = JSON.parse(readFileSync(`${dir}/${name}/expected-metadata.json`, 'utf8'));
  try {
    const r = extractPage({ body: new Uint8Array(readFileSync(`${dir}/${name}/source.html`)), url: `http://fakehost/test/${name}/` });
    const m = r.metadata;
    if (process.argv[2] === 'title' && ws(m.title) !== ws(want.title)) console.log(`${name}\n  got:  ${ws(m.title)}\n  want: ${ws(want.title)}`);
    if (process.argv[2] === 'byline' && ws(m.author) !== ws(want.byline)) console.log(`${name}\n  got:  ${ws(m.author)}\n  want: ${ws(want.byline)}`);
    if (process.argv[2] === 'date') console.log(`${name}\t${m.publishedAt}\t${want.publishedTime}`);
  } catch (e) { console.log(name, 'ERROR', (e as Error).message); }
}
