/**
 * The dataset snapshot benchmark (see README.md): builds snapshots of N records made from real corpus pages,
 * side by side for each N, and prints build speed (records/s, MB/s of input), bytes per record of Parquet, gzip
 * JSONL and WARC, memory growth during the build, and verification speed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateNodeKeyPair, resultMessage, sha256Hex, signMessage } from '@gleaner/core';
import { PARQUET_CODEC, buildSnapshot, verifySnapshot, type SnapshotRecord } from '@gleaner/snapshot';
import { loadCorpusPages, type CorpusPage } from './corpus-pages.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values: flags } = parseArgs({
  options: {
    records: { type: 'string', default: '10000,100000' },
    pages: { type: 'string', default: '2700' },
    corpus: { type: 'string', default: path.resolve(repoRoot, '../shared/corpus') },
    'no-verify': { type: 'boolean', default: false },
  },
});
const sizes = flags.records.split(',').map(Number);
const NODES = 8;

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);

/** The signed provenance of record i, made before timing starts (signing is the node's work, not the build's). */
interface Signed {
  signature: string;
  finalUrl: string;
}

function records(pages: CorpusPage[], signed: Signed[], nodeIds: string[]): Iterable<SnapshotRecord> {
  return {
    *[Symbol.iterator]() {
      for (let i = 0; i < signed.length; i++) {
        const page = pages[i % pages.length]!;
        const { finalUrl, signature } = signed[i]!;
        const host = new URL(finalUrl).host;
        yield {
          id: `rec_${i}`,
          datasetId: 'ds_bench',
          campaignId: 'cmp_bench',
          url: finalUrl,
          finalUrl,
          host,
          status: 200,
          contentType: 'text/html; charset=utf-8',
          fetchedAt: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(),
          title: page.title || null,
          text: page.text,
          markdown: page.markdown,
          language: page.language,
          textHash: sha256Hex(`${i}:${page.text.length}`),
          textBytes: Buffer.byteLength(page.text),
          metadata: page.metadata as SnapshotRecord['metadata'],
          quality: page.quality,
          fields: null,
          fieldErrors: null,
          round: 0,
          version: 1,
          nodeId: nodeIds[i % nodeIds.length]!,
          bodySha256: page.bodySha256,
          provenance: { jobId: `job_${i}`, attempt: 1, redirects: [], signature },
          robots: 'allowed',
          httpHeaders: { 'content-type': 'text/html; charset=utf-8' },
          rawBody: () => Promise.resolve(page.body),
        };
      }
    },
  };
}

process.stderr.write(`loading and extracting up to ${flags.pages} corpus pages (not timed)…\n`);
const pages = loadCorpusPages(flags.corpus, Number(flags.pages));
const meanBody = pages.reduce((s, p) => s + p.body.length, 0) / pages.length;
const meanText =
  pages.reduce((s, p) => s + Buffer.byteLength(p.text) + Buffer.byteLength(p.markdown), 0) / pages.length;
process.stderr.write(
  `${pages.length} pages, mean raw body ${int(meanBody)} B, mean text+markdown ${int(meanText)} B\n`,
);

const nodes = Array.from({ length: NODES }, (_, i) => ({ id: `node_${i}`, keys: generateNodeKeyPair() }));
const coordinator = generateNodeKeyPair();
const rows: string[][] = [];
for (const size of sizes) {
  const signed: Signed[] = [];
  for (let i = 0; i < size; i++) {
    const page = pages[i % pages.length]!;
    const finalUrl = `${page.url}${page.url.includes('?') ? '&' : '?'}gleaner_bench=${i}`;
    const node = nodes[i % NODES]!;
    const message = resultMessage({
      jobId: `job_${i}`,
      attempt: 1,
      redirects: [],
      finalUrl,
      status: 200,
      bodySha256: page.bodySha256,
    });
    signed.push({ finalUrl, signature: signMessage(node.keys.privateKeyPem, message) });
  }
  const root = await mkdtemp(path.join(tmpdir(), 'gleaner-datasets-bench-'));
  const dir = path.join(root, 'snapshot');
  try {
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 100);
    const started = performance.now();
    const summary = await buildSnapshot(
      records(
        pages,
        signed,
        nodes.map((n) => n.id),
      ),
      {
        dir,
        snapshotId: `snap_bench_${size}`,
        datasetId: 'ds_bench',
        nodeKeys: Object.fromEntries(nodes.map((n) => [n.id, n.keys.publicKeyPem])),
        signer: { keyId: 'coordinator-bench', privateKeyPem: coordinator.privateKeyPem },
        onProgress: (done) => {
          if (done % 10_000 === 0) process.stderr.write(`  ${int(done)} / ${int(size)}\r`);
        },
      },
    );
    const buildSeconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const bytesOf = (suffix: string): number =>
      summary.manifest.files.filter((f) => f.path.endsWith(suffix)).reduce((s, f) => s + f.bytes, 0);
    const inputBytes = size * (meanBody + meanText);
    let verify = '–';
    if (!flags['no-verify']) {
      const verifyStarted = performance.now();
      const result = await verifySnapshot(dir, { signerPublicKeyPem: coordinator.publicKeyPem });
      if (!result.ok) throw new Error(`verify failed: ${result.message}`);
      verify = int(size / ((performance.now() - verifyStarted) / 1000));
    }
    rows.push([
      int(size),
      String(summary.shards),
      buildSeconds.toFixed(1),
      int(size / buildSeconds),
      mb(inputBytes / buildSeconds),
      int(bytesOf('.parquet') / size),
      int(bytesOf('.jsonl.gz') / size),
      int(bytesOf('.warc.gz') / size),
      mb(rssPeak - rssBefore),
      verify,
    ]);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

const headers = [
  'records',
  'shards',
  'build s',
  'records/s',
  'input MB/s',
  `Parquet (${PARQUET_CODEC}) B/rec`,
  'JSONL.gz B/rec',
  'WARC.gz B/rec',
  'RSS growth MB',
  'verify records/s',
];
const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padStart(widths[i]!)).join(' | ')} |`;
process.stderr.write('\n');
console.log(line(headers));
console.log(`|${widths.map((w) => '-'.repeat(w + 1)).join('|')}:|`.replace(/\|-/g, '|-'));
for (const row of rows) console.log(line(row));
console.log(
  `\n${pages.length} distinct corpus pages, mean raw body ${int(meanBody)} B and text+markdown ${int(meanText)} B; ` +
    `input MB/s counts raw body + text + markdown. Node ${process.version}, ${NODES} node keys.`,
);
