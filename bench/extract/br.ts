import { readFileSync, existsSync } from 'node:fs';
import { extractPage } from '@gleaner/extract';
const f = process.argv[2]!;
const dir = '/work/shared/corpus/trafilatura-eval';
const p = [`${dir}/cache/${f}`, `${dir}/eval/${f}`].find((x) => existsSync(x))!;
const r = extractPage({ body: new Uint8Array(readFileSync(p)), url: 'https://x.org/' });
console.log(r.metadata.title, '|', r.markdown.slice(0, 400));
