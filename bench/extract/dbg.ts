import { readFileSync, existsSync } from 'node:fs';
import { decodeHtml, parseHtml } from '@gleaner/extract';
const [file, needle] = process.argv.slice(2) as [string, string];
const dir = '/work/shared/corpus/trafilatura-eval';
const p = [`${dir}/cache/${file}`, `${dir}/eval/${file}`].find((f) => existsSync(f))!;
const doc = parseHtml(decodeHtml(new Uint8Array(readFileSync(p))).text);
const stack: any[] = [doc];
while (stack.length) { const n = stack.pop(); if (n.type === 'text' && n.data.includes(needle)) { let e = n.parent; const chain = []; while (e && e.name) { chain.push(`${e.name}.${(e.attribs.class??'').slice(0,60)}#${e.attribs.id??''}${e.attribs.role?'[role='+e.attribs.role+']':''}${e.attribs.style?'[style]':''}${e.attribs.hidden!==undefined||e.attribs['aria-hidden']?'[HIDDEN]':''}`); e = e.parent; } console.log(chain.join('\n  < ')); break; } if (n.children) for (let i = n.children.length-1; i>=0; i--) stack.push(n.children[i]); }
