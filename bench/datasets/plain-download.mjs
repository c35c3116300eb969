// The plain Node baseline of bench/datasets/pull.ts, run as its own process as `gleaner pull` is: fetch each file
// and stream its body to disk, CONCURRENCY at a time, nothing checked, nothing hashed. Plain JavaScript run by
// `node` itself (no TypeScript loader), so its start costs what a Node process costs.
//
//   GLEANER_API_KEY=… node bench/datasets/plain-download.mjs CONCURRENCY BASE_URL OUT_DIR FILE_PATH...
/* global process, fetch */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const [concurrency, base, out, ...files] = process.argv.slice(2);
const headers = { authorization: `Bearer ${process.env.GLEANER_API_KEY}`, 'accept-encoding': 'identity' };
let next = 0;
async function worker() {
  while (next < files.length) {
    const file = files[next++];
    const target = path.join(out, file);
    await mkdir(path.dirname(target), { recursive: true });
    const response = await fetch(`${base}/files/${file}`, { headers });
    if (!response.ok) throw new Error(`${file}: HTTP ${response.status}`);
    await pipeline(Readable.fromWeb(response.body), createWriteStream(target));
  }
}
await Promise.all(Array.from({ length: Number(concurrency) }, worker));
