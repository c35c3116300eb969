/**
 * The `gleaner pull` benchmark: a real coordinator process serves a published snapshot from loopback; the same
 * files are downloaded by a plain HTTP client (fetch, streamed to disk, nothing else) and by `gleaner pull` (the
 * CLI process: hashes every file, checks it against its entry, renames it), alternately, at one file at a time and at four, and the
 * table shows both throughputs and their ratio (target 0.9 or more): once for the whole `gleaner pull` process
 * (starting Node and loading the CLI included), once for the transfer as the command times it (from its first file
 * request to the last file renamed). The verification `gleaner pull` runs after the download (every record and
 * node signature) is timed apart: it is not transfer.
 *
 *   npx tsx --conditions=source bench/datasets/pull.ts [--records 400] [--body-kib 256] [--rounds 3]
 *     [--concurrency 1,4]
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseCampaignSpec } from '@gleaner/contracts';
import { generateNodeKeyPair, resultMessage, sha256Hex, signMessage } from '@gleaner/core';
import {
  AccountStore,
  CampaignStore,
  migrateDatabase,
  openDatabase,
  SnapshotStore,
  startEmbeddedPostgres,
} from '@gleaner/db';
import { startEmbeddedRedis } from '@gleaner/queue';
import { buildSnapshot, SnapshotLayout, type SnapshotRecord } from '@gleaner/snapshot';
import { startServiceProcess } from '@gleaner/supervisor';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values: flags } = parseArgs({
  options: {
    records: { type: 'string', default: '400' },
    'body-kib': { type: 'string', default: '256' },
    rounds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '1,4' },
  },
});
const RECORDS = Number(flags.records);
const BODY_BYTES = Number(flags['body-kib']) * 1024;
const ROUNDS = Number(flags.rounds);
const CLI = path.join(repoRoot, 'apps/cli/dist/main.js');
/** `GLEANER_BENCH_CPU_PROF=DIR` writes a CPU profile of each `gleaner pull` run there. */
const PROFILE = process.env.GLEANER_BENCH_CPU_PROF
  ? ['--cpu-prof', `--cpu-prof-dir=${process.env.GLEANER_BENCH_CPU_PROF}`]
  : [];
const COORDINATOR = path.join(repoRoot, 'apps/coordinator/dist/main.js');

const work = await mkdtemp(path.join(tmpdir(), 'gleaner-pull-bench-'));
const postgres = await startEmbeddedPostgres({ dataDir: path.join(work, 'pglite') });
const redis = await startEmbeddedRedis({ dataDir: path.join(work, 'redis') });
const stops: (() => Promise<void>)[] = [() => postgres.stop(), () => redis.stop()];
try {
  await migrateDatabase(postgres.url);
  const database = openDatabase({ url: postgres.url, maxConnections: 2 });
  stops.unshift(() => database.close());
  const { db } = database;
  const campaign = await new CampaignStore(db).create(
    'pull bench',
    parseCampaignSpec({ seeds: ['https://example.com/'] }),
  );
  const snapshots = new SnapshotStore(db);
  const row = await snapshots.request(campaign.datasetId, 'manual');
  const signer = generateNodeKeyPair();
  const node = generateNodeKeyPair();
  const snapshotDir = path.join(work, 'snapshots');
  const words = 'the of and to in is that for it as with was on be by this are from at or an'.split(' ');
  const list: SnapshotRecord[] = [];
  for (let n = 0; n < RECORDS; n++) {
    const body = randomBytes(BODY_BYTES);
    const bodySha256 = sha256Hex(body);
    const finalUrl = `https://example.com/page/${n}`;
    const jobId = `job-${n}`;
    const text = Array.from({ length: 1500 }, (_, i) => words[(i * 7 + n) % words.length]).join(' ');
    list.push({
      id: `rec_${n}`,
      datasetId: campaign.datasetId,
      campaignId: campaign.id,
      url: finalUrl,
      finalUrl,
      host: 'example.com',
      status: 200,
      contentType: 'application/octet-stream',
      fetchedAt: new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString(),
      title: `Page ${n}`,
      text,
      markdown: text,
      language: 'en',
      textHash: sha256Hex(text),
      textBytes: Buffer.byteLength(text),
      metadata: null,
      quality: null,
      fields: null,
      fieldErrors: null,
      round: 0,
      version: 1,
      nodeId: 'nod_bench',
      bodySha256,
      provenance: {
        jobId,
        attempt: 1,
        redirects: [],
        signature: signMessage(
          node.privateKeyPem,
          resultMessage({ jobId, attempt: 1, redirects: [], finalUrl, status: 200, bodySha256 }),
        ),
      },
      robots: 'allowed',
      httpHeaders: { 'content-type': 'application/octet-stream' },
      rawBody: () => Promise.resolve(body),
    });
  }
  const summary = await buildSnapshot(list, {
    dir: path.join(snapshotDir, campaign.datasetId, row.id),
    snapshotId: row.id,
    datasetId: campaign.datasetId,
    nodeKeys: new Map([['nod_bench', node.publicKeyPem]]),
    signer: { keyId: 'coordinator-bench', privateKeyPem: signer.privateKeyPem },
    shardRecords: Math.max(1, Math.ceil(RECORDS / 4)),
  });
  await snapshots.markPublished(row.id, {
    records: summary.records,
    bytes: summary.bytes,
    shards: summary.shards,
    merkleRoot: summary.merkleRoot,
    manifestSha256: createHash('sha256')
      .update(await readFile(path.join(summary.dir, SnapshotLayout.manifest)))
      .digest('hex'),
    changes: { ...summary.changes },
  });
  const key = (await new AccountStore(db).createApiKey('bench', ['datasets:read', 'raw:read'])).key;

  const coordinator = await startServiceProcess(
    'coordinator',
    COORDINATOR,
    [],
    {
      ...process.env,
      DATABASE_URL: postgres.url,
      REDIS_URL: redis.url,
      GLEANER_ADMIN_TOKEN: `adm_${randomUUID()}`,
      GLEANER_BLOB_DIR: path.join(work, 'blobs'),
      GLEANER_SNAPSHOT_DIR: snapshotDir,
      GLEANER_PORT: '0',
      GLEANER_QUEUE_PREFIX: `bench-${randomUUID()}`,
      GLEANER_LOG_LEVEL: 'warn',
    },
    path.join(work, 'logs'),
  );
  stops.unshift(() => coordinator.stop());
  const url = String((await coordinator.waitForEvent('listening')).url);
  const base = `${url}/v1/datasets/${campaign.datasetId}/snapshots/${row.id}`;
  const detail = (await (await fetch(base, { headers: { authorization: `Bearer ${key}` } })).json()) as {
    files: { path: string; bytes: number }[];
  };
  const totalBytes = detail.files.reduce((sum, f) => sum + f.bytes, 0);

  /** The plain client: each file fetched and streamed to disk, `concurrency` at a time. */
  async function plainDownload(out: string, concurrency: number): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < detail.files.length) {
        const file = detail.files[next++]!;
        const target = path.join(out, file.path);
        await mkdir(path.dirname(target), { recursive: true });
        const response = await fetch(`${base}/files/${file.path}`, {
          headers: { authorization: `Bearer ${key}`, 'accept-encoding': 'identity' },
        });
        if (!response.ok) throw new Error(`${file.path}: HTTP ${response.status}`);
        await pipeline(Readable.fromWeb(response.body as WebReadableStream), createWriteStream(target));
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  /** `gleaner pull` as a process; resolves with its stdout. */
  function gleanerPull(out: string, extra: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          ...PROFILE,
          CLI,
          'pull',
          campaign.datasetId,
          '--coordinator',
          url,
          '--key',
          key,
          '--out',
          out,
          ...extra,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.once('exit', (code) =>
        code === 0 ? resolve(stdout) : reject(new Error(`gleaner pull exited ${code}: ${stderr}`)),
      );
    });
  }

  const timed = async (run: () => Promise<unknown>): Promise<number> => {
    const started = performance.now();
    await run();
    return (performance.now() - started) / 1000;
  };
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const mbps = (seconds: number): string => (totalBytes / 1e6 / seconds).toFixed(1);

  const rows: string[][] = [];
  for (const concurrency of flags.concurrency.split(',').map(Number)) {
    const plain: number[] = [];
    const pulled: number[] = [];
    const transfer: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const a = path.join(work, `plain-${concurrency}-${round}`);
      const b = path.join(work, `pull-${concurrency}-${round}`);
      // Alternate which goes first, so neither always meets a warmer page cache.
      const order = round % 2 === 0 ? ['plain', 'pull'] : ['pull', 'plain'];
      for (const which of order) {
        if (which === 'plain') plain.push(await timed(() => plainDownload(a, concurrency)));
        else {
          let stdout = '';
          pulled.push(
            await timed(async () => {
              stdout = await gleanerPull(b, ['--no-verify', '--concurrency', String(concurrency)]);
            }),
          );
          // The command's own time for the transfer, without the start of a Node process.
          const own = /in ([\d.]+) s/.exec(stdout);
          if (!own) throw new Error(`no transfer time in: ${stdout}`);
          transfer.push(Number(own[1]));
        }
      }
      await rm(a, { recursive: true, force: true });
      await rm(b, { recursive: true, force: true });
    }
    rows.push([
      String(concurrency),
      String(detail.files.length),
      (totalBytes / 1e6).toFixed(1),
      median(plain).toFixed(2),
      mbps(median(plain)),
      median(pulled).toFixed(2),
      mbps(median(pulled)),
      (median(plain) / median(pulled)).toFixed(2),
      median(transfer).toFixed(2),
      mbps(median(transfer)),
      (median(plain) / median(transfer)).toFixed(2),
    ]);
  }
  const verifyOut = path.join(work, 'verified');
  const verifyRun = await timed(() => gleanerPull(verifyOut, []));
  const resumeRun = await timed(() => gleanerPull(verifyOut, ['--no-verify']));

  const header = [
    'files at once',
    'files',
    'MB',
    'plain fetch s',
    'plain MB/s',
    'gleaner pull s (process)',
    'pull MB/s',
    'pull / plain',
    'pull transfer s',
    'transfer MB/s',
    'transfer / plain',
  ];
  const align = header.map(() => '---:');
  process.stdout.write(
    `\n${RECORDS} records, ${BODY_BYTES / 1024} KiB raw bodies, ${summary.shards} shards; median of ${ROUNDS} ` +
      `rounds; Node ${process.versions.node}\n\n` +
      `| ${header.join(' | ')} |\n| ${align.join(' | ')} |\n` +
      rows.map((r) => `| ${r.join(' | ')} |`).join('\n') +
      `\n\nA whole pull with its verification (${summary.records} records, every node signature): ` +
      `${verifyRun.toFixed(2)} s; again into the same folder (every file kept after its SHA-256, nothing ` +
      `fetched): ${resumeRun.toFixed(2)} s.\n`,
  );
} finally {
  for (const stop of stops) await stop().catch(() => undefined);
  if (!process.env.GLEANER_KEEP_BENCH_DATA) await rm(work, { recursive: true, force: true });
}
