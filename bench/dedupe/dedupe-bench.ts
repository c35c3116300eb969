/**
 * The deduplication benchmark (see README.md). Two parts, in one run, each in its own embedded redis-server:
 *  1. a labelled set of synthetic documents with known edit rates → recall and precision at Jaccard 0.8, with and
 *     without sketch verification, and end-to-end documents per second (text → signature → index);
 *  2. `--docs` unrelated documents given as random signatures → index documents per second and bytes per document.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MINHASH_PRIME, MinHasher, NearDuplicateIndex, seededRandom } from '@gleaner/dedupe';
import { openRedis, startEmbeddedRedis, type Redis } from '@gleaner/queue';
import { ExactJaccard, labelledSet, type LabelledDoc } from './labelled-set.js';

const THRESHOLD = 0.8;
const { values: flags } = parseArgs({
  options: {
    docs: { type: 'string', default: '1000000' },
    families: { type: 'string', default: '2000' },
    sizings: { type: 'string', default: '10000000,1000000' },
    concurrency: { type: 'string', default: '64' },
  },
});
const totalDocs = Number(flags.docs);
const families = Number(flags.families);
const sizings = flags.sizings.split(',').map(Number);
const concurrency = Number(flags.concurrency);

/** Runs `work(i)` for i in [0, count) with `concurrency` calls in flight. */
async function inFlight(count: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

/** Runs `run` against a fresh embedded redis-server (AOF on, as the embedded default, unless `aof` is false). */
async function withRedis<T>(run: (redis: Redis) => Promise<T>, aof = true): Promise<T> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'gleaner-dedupe-bench-'));
  const server = await startEmbeddedRedis({ dataDir });
  const redis = openRedis(server.url);
  try {
    if (!aof) await redis.config('SET', 'appendonly', 'no');
    return await run(redis);
  } finally {
    await redis.quit();
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function usedMemory(redis: Redis): Promise<number> {
  return Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);
}

const fmt = (n: number, digits = 3): string => (Number.isFinite(n) ? n.toFixed(digits) : '–');
const int = (n: number): string => Math.round(n).toLocaleString('en-US');
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

// ---- Part 1: the labelled set ------------------------------------------------------------------------------------

interface Outcome {
  doc: LabelledDoc;
  duplicateOf: string | undefined;
  /** Highest exact Jaccard with an original indexed before this document (same family, or the flagged one). */
  bestJaccard: number;
}
interface Pass {
  name: string;
  outcomes: Outcome[];
  seconds: number;
}

const hasher = new MinHasher();
process.stderr.write(`generating ${families} families × 17 documents…\n`);
const docs = labelledSet(families);
const byId = new Map(docs.map((doc) => [doc.id, doc]));
const exact = new ExactJaccard(byId);

const signatureStart = performance.now();
for (const doc of docs) hasher.signature(doc.text);
const signatureSeconds = (performance.now() - signatureStart) / 1000;
const meanWords = docs.reduce((sum, doc) => sum + doc.text.split(' ').length, 0) / docs.length;

const passes = await withRedis(async (redis) => {
  const out: Pass[] = [];
  for (const verify of [true, false]) {
    const index = new NearDuplicateIndex(redis, { prefix: 'bench', expectedDocuments: docs.length, verify });
    const namespace = verify ? 'verified' : 'bands';
    const verdicts = new Array<string | undefined>(docs.length);
    const start = performance.now();
    await inFlight(docs.length, async (i) => {
      const verdict = await index.checkAndAdd(namespace, docs[i]!.id, hasher.signature(docs[i]!.text));
      verdicts[i] = verdict.duplicateOf;
    });
    const seconds = (performance.now() - start) / 1000;
    // Truth, in stream order: the originals indexed so far in the document's family. Documents of other families
    // share no shingles by construction, except when the index flagged one, which is then measured too.
    const originals = new Map<number, string[]>();
    const outcomes: Outcome[] = docs.map((doc, i) => {
      const duplicateOf = verdicts[i];
      const earlier = originals.get(doc.family) ?? [];
      let bestJaccard = 0;
      for (const id of earlier) bestJaccard = Math.max(bestJaccard, exact.between(doc.id, id));
      if (duplicateOf && byId.get(duplicateOf)!.family !== doc.family) {
        bestJaccard = Math.max(bestJaccard, exact.between(doc.id, duplicateOf));
      }
      if (!duplicateOf) originals.set(doc.family, [...earlier, doc.id]);
      return { doc, duplicateOf, bestJaccard };
    });
    out.push({ name: verify ? 'bands + sketch check' : 'bands only', outcomes, seconds });
  }
  return out;
});

/** A flagged document is right when its named original really is a near-duplicate (exact Jaccard ≥ 0.8). */
function score(outcomes: Outcome[]): {
  recall: number;
  precision: number;
  positives: number;
  flagged: number;
} {
  let truePositives = 0;
  let flagged = 0;
  let positives = 0;
  for (const o of outcomes) {
    const positive = o.bestJaccard >= THRESHOLD;
    if (positive) positives++;
    if (o.duplicateOf) {
      flagged++;
      if (exact.between(o.doc.id, o.duplicateOf) >= THRESHOLD) truePositives++;
    }
  }
  return { recall: truePositives / positives, precision: truePositives / flagged, positives, flagged };
}

const kinds = [...new Set(docs.map((doc) => doc.kind))].sort((a, b) => {
  const key = (k: string): number =>
    k === 'base' ? -1 : (k.startsWith('block') ? 1000 : 0) + parseFloat(k.split(' ')[1]!);
  return key(a) - key(b);
});
const rows: string[][] = [];
for (const kind of [...kinds, 'all']) {
  const subset = (pass: Pass): Outcome[] =>
    pass.outcomes.filter((o) => kind === 'all' || o.doc.kind === kind);
  const group = docs.filter((doc) => kind === 'all' || doc.kind === kind);
  const meanJ = group.reduce((sum, doc) => sum + doc.jaccardToBase, 0) / group.length;
  const scores = passes.map((pass) => score(subset(pass)));
  rows.push([
    kind,
    int(group.length),
    kind === 'all' ? '' : fmt(meanJ),
    fmt(scores[0]!.positives / group.length, 2),
    ...scores.flatMap((s) => [fmt(s.recall), fmt(s.precision), fmt(s.flagged / group.length, 2)]),
  ]);
}

const bucketEdges = [1.0001, 0.9, 0.8, 0.7, 0.6, 0.5, 0.3, 0];
const bucketRows = bucketEdges.slice(1).map((low, b) => {
  const high = bucketEdges[b]!;
  const cells = passes.map((pass) => {
    const inBucket = pass.outcomes.filter((o) => o.bestJaccard >= low && o.bestJaccard < high);
    const flagged = inBucket.filter((o) => o.duplicateOf).length;
    return [int(inBucket.length), fmt(flagged / inBucket.length)];
  });
  return [`[${low.toFixed(1)}, ${Math.min(1, high).toFixed(1)}${high > 1 ? ']' : ')'}`, ...cells.flat()];
});

// ---- Part 2: bytes per document and index throughput at --docs ---------------------------------------------------

interface SizingResult {
  expectedDocuments: number;
  docsPerSecond: number;
  bytesPerDoc: number;
  parts: string;
}

async function sizingRun(expectedDocuments: number): Promise<SizingResult> {
  return withRedis(async (redis) => {
    const index = new NearDuplicateIndex(redis, { prefix: 'bench', expectedDocuments });
    const random = seededRandom(expectedDocuments);
    const before = await usedMemory(redis);
    const start = performance.now();
    let done = 0;
    await inFlight(totalDocs, async () => {
      const signature = new Uint32Array(112);
      for (let v = 0; v < 112; v++) signature[v] = Math.floor(random() * MINHASH_PRIME);
      await index.checkAndAdd('ds', randomUUID(), signature);
      if (++done % 100_000 === 0)
        process.stderr.write(`  sizing ${int(expectedDocuments)}: ${int(done)} documents\n`);
    });
    const seconds = (performance.now() - start) / 1000;
    const bytes = (await usedMemory(redis)) - before;
    // Where the bytes go: MEMORY USAGE of a sample of each kind of key, times the number of such keys.
    const counts = new Map<string, { keys: number; sampled: number; bytes: number }>();
    let cursor = '0';
    do {
      const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', 'bench:dd:*', 'COUNT', 5000);
      cursor = nextCursor;
      for (const key of keys) {
        const kind = /:(b|i|s|n|cfg)(?::|$)/.exec(key)?.[1] ?? '?';
        const entry = counts.get(kind) ?? { keys: 0, sampled: 0, bytes: 0 };
        entry.keys++;
        if (entry.sampled < 300 && Math.random() < 0.05) {
          entry.sampled++;
          entry.bytes += Number(await redis.memory('USAGE', key, 'SAMPLES', '0'));
        }
        counts.set(kind, entry);
      }
    } while (cursor !== '0');
    const names: Record<string, string> = { b: 'bands', i: 'ids', s: 'sketches' };
    const parts = ['b', 'i', 's']
      .map((kind) => {
        const entry = counts.get(kind);
        if (!entry || entry.sampled === 0) return '';
        return `${names[kind]} ${fmt(((entry.bytes / entry.sampled) * entry.keys) / totalDocs, 0)} (${int(entry.keys)} keys)`;
      })
      .filter(Boolean)
      .join(', ');
    return { expectedDocuments, docsPerSecond: totalDocs / seconds, bytesPerDoc: bytes / totalDocs, parts };
    // A million documents would write gigabytes of AOF; this part measures memory and the index, not the disk.
  }, false);
}

const sizingResults: SizingResult[] = [];
for (const expectedDocuments of sizings) {
  process.stderr.write(
    `indexing ${int(totalDocs)} random signatures, sized for ${int(expectedDocuments)}…\n`,
  );
  sizingResults.push(await sizingRun(expectedDocuments));
}

// ---- Report --------------------------------------------------------------------------------------------------------

console.log(`\n## Near-duplicate detection at Jaccard ${THRESHOLD} (labelled set)\n`);
console.log(
  `${int(docs.length)} documents: ${families} base documents of 300–800 words (mean ${int(meanWords)} words over ` +
    `the set) and 16 edited copies of each, shuffled. "true ≥0.8": share of documents whose exact 5-gram Jaccard ` +
    `with an original indexed before them is ≥ 0.8. A flag counts as right when the named original is one.\n`,
);
console.log(
  table(
    [
      'edit',
      'docs',
      'mean J to base',
      'true ≥0.8',
      ...passes.flatMap((p) => [`recall (${p.name})`, 'precision', 'flagged']),
    ],
    rows,
  ),
);
console.log(`\nShare flagged by exact Jaccard with the best earlier original:\n`);
console.log(table(['exact J', ...passes.flatMap((p) => [`docs (${p.name})`, 'flagged'])], bucketRows));
console.log(`\n## Speed and size\n`);
console.log(
  table(
    ['measure', 'value'],
    [
      [
        'signature only (text → 112 MinHash values), 1 thread',
        `${int(docs.length / signatureSeconds)} docs/s`,
      ],
      ...passes.map((p) => [
        `end to end (AOF on), ${p.name}: signature + index, 1 process, ${concurrency} in flight`,
        `${int(docs.length / p.seconds)} docs/s`,
      ]),
      ...sizingResults.flatMap((r) => [
        [
          `index only (AOF off), ${int(totalDocs)} random signatures, sized for ${int(r.expectedDocuments)}`,
          `${int(r.docsPerSecond)} docs/s`,
        ],
        [
          `index bytes/doc at ${int(totalDocs)} docs (used_memory delta), sized for ${int(r.expectedDocuments)}`,
          `${fmt(r.bytesPerDoc, 0)} B`,
        ],
        [`  of which (MEMORY USAGE samples)`, r.parts],
      ]),
    ],
  ),
);
