import { readFileSync } from 'node:fs';
import { extractPage } from '@gleaner/extract';
const d = `/work/shared/corpus/readability-pages/${process.argv[2]}/source.html`;
const r = extractPage({ body: new Uint8Array(readFileSync(d)), url: 'http://fakehost/x/' });
console.log(JSON.stringify(r.metadata.jsonLd).slice(0, 600), r.metadata.publishedAt);
