import { readFileSync, existsSync } from 'node:fs';
import { decodeHtml } from '@gleaner/extract';
const [file, needle] = process.argv.slice(2) as [string, string];
const dir = '/work/shared/corpus/trafilatura-eval';
const p = [`${dir}/cache/${file}`, `${dir}/eval/${file}`].find((f) => existsSync(f))!;
const d = decodeHtml(new Uint8Array(readFileSync(p)));
const i = d.text.indexOf(needle);
console.log(d.charset, i, i >= 0 ? d.text.slice(i - 300, i + 100) : d.text.slice(0, 300));
