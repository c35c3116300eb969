/**
 * The `gleaner pull` benchmark: a real coordinator process serves a published snapshot from loopback (by default
 * 1,600 records with 256 KiB raw bodies, about 420 MB, so that the transfer outweighs starting a process), and in
 * each round the same files are downloaded, into fresh folders, by:
 *
 * - **curl** (when the machine has it): one process for every file, `--parallel --parallel-max N`, bodies to disk;
 * - **node**: a plain Node process (plain-download.mjs: fetch, each body streamed to a file, nothing checked);
 * - **in-process**: the same fetch loop inside this benchmark process, already started and warm;
 * - **gleaner pull**: the CLI process with `--no-verify` (each file hashed as it streams, checked against its
 *   entry and renamed).
 *
 * The three processes are timed from spawn to exit, so each pays for starting itself. The order rotates from round
 * to round; the table shows medians, pull against curl and against the plain Node process (target 0.9 or more),
 * and the command's own transfer time (first file request to last rename) against the in-process fetch. Every
 * folder is checked (each file whole) and deleted at once. The verification `gleaner pull` runs after the download
 * (every record and node signature) is timed apart: it is not transfer.
 *
 *   npx tsx --conditions=source bench/datasets/pull.ts [--records 1600] [--body-kib 256] [--rounds 5]
 *     [--concurrency 1,4] [--curl PATH]
 *
 * `GLEANER_BENCH_CPU_PROF=DIR` writes a CPU profile of each `gleaner pull` run there.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
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
    records: { type: 'string', default: '1600' },
    'body-kib': { type: 'string', default: '256' },
    rounds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '1,4' },
    curl: { type: 'string' },
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
const PLAIN = path.join(repoRoot, 'bench/datasets/plain-download.mjs');
/** curl, when this machine has it (`--curl PATH` to name another). */
const CURL = [flags.curl, '/usr/bin/curl', '/usr/local/bin/curl'].find(
  (p) => p !== undefined && existsSync(p),
);

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

  /** The in-process client: each file fetched and streamed to disk, `concurrency` at a time, in this process. */
  async function inProcessDownload(out: string, concurrency: number): Promise<void> {
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

  /** Runs a process to its end (the key in its environment or on its stdin, never in argv); resolves with stdout. */
  function run(command: string, args: string[], input = ''): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { ...process.env, GLEANER_API_KEY: key },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.once('error', reject);
      child.once('exit', (code) =>
        code === 0
          ? resolve(stdout)
          : reject(new Error(`${path.basename(command)} exited ${code}: ${stderr.slice(-2000)}`)),
      );
      child.stdin.end(input);
    });
  }

  /** curl, one process for every file (`--parallel-max` at a time), its options and URLs read from stdin. */
  const curlDownload = (out: string, concurrency: number) =>
    run(
      CURL!,
      ['--silent', '--show-error', '--parallel', '--parallel-max', String(concurrency), '--config', '-'],
      [
        `header = "Authorization: Bearer ${key}"`,
        'fail',
        'create-dirs',
        ...detail.files.flatMap((file) => [
          `url = "${base}/files/${file.path}"`,
          `output = "${path.join(out, file.path)}"`,
        ]),
      ].join('\n'),
    );

  /** The plain Node process: plain-download.mjs, fetch streamed to disk. */
  const nodeDownload = (out: string, concurrency: number) =>
    run(process.execPath, [PLAIN, String(concurrency), base, out, ...detail.files.map((f) => f.path)]);

  /** `gleaner pull` as a process; resolves with its stdout. */
  const gleanerPull = (out: string, extra: string[]) =>
    run(process.execPath, [
      ...PROFILE,
      CLI,
      'pull',
      campaign.datasetId,
      '--coordinator',
      url,
      '--out',
      out,
      ...extra,
    ]);

  const timed = async (task: () => Promise<unknown>): Promise<number> => {
    const started = performance.now();
    await task();
    return (performance.now() - started) / 1000;
  };
  const median = (xs: number[]): number => {
    const sorted = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  };
  const mbps = (seconds: number): string => (totalBytes / 1e6 / seconds).toFixed(1);
  const ratio = (baseline: number, measured: number): string => (baseline / measured).toFixed(2);

  type Contender = 'curl' | 'node' | 'in-process' | 'pull';
  const contenders: Contender[] = [...(CURL ? (['curl'] as const) : []), 'node', 'in-process', 'pull'];
  const rows: string[][] = [];
  for (const concurrency of flags.concurrency.split(',').map(Number)) {
    const times = new Map<Contender | 'transfer', number[]>();
    const push = (which: Contender | 'transfer', seconds: number) =>
      times.set(which, [...(times.get(which) ?? []), seconds]);
    for (let round = 0; round < ROUNDS; round++) {
      // Each round starts with another contender, so none always meets the same state of the machine.
      const order = contenders.map((_, i) => contenders[(i + round) % contenders.length]!);
      for (const which of order) {
        const out = path.join(work, `${which}-${concurrency}-${round}`);
        if (which === 'curl') push(which, await timed(() => curlDownload(out, concurrency)));
        else if (which === 'node') push(which, await timed(() => nodeDownload(out, concurrency)));
        else if (which === 'in-process') push(which, await timed(() => inProcessDownload(out, concurrency)));
        else {
          let stdout = '';
          push(
            which,
            await timed(async () => {
              stdout = await gleanerPull(out, ['--no-verify', '--concurrency', String(concurrency)]);
            }),
          );
          // The command's own time for the transfer, without the start of a Node process.
          const own = /in ([\d.]+) s/.exec(stdout);
          if (!own) throw new Error(`no transfer time in: ${stdout}`);
          push('transfer', Number(own[1]));
        }
        await checkFolder(out);
        // Deleted at once, so its pages are never written back to the disk under the next contender.
        await rm(out, { recursive: true, force: true });
      }
    }
    const m = (which: Contender | 'transfer') => median(times.get(which)!);
    rows.push([
      String(concurrency),
      ...(CURL ? [m('curl').toFixed(2), mbps(m('curl'))] : []),
      m('node').toFixed(2),
      mbps(m('node')),
      m('pull').toFixed(2),
      mbps(m('pull')),
      ...(CURL ? [ratio(m('curl'), m('pull'))] : []),
      ratio(m('node'), m('pull')),
      m('in-process').toFixed(2),
      m('transfer').toFixed(2),
      ratio(m('in-process'), m('transfer')),
    ]);
  }
  const verifyOut = path.join(work, 'verified');
  const verifyRun = await timed(() => gleanerPull(verifyOut, []));
  const resumeRun = await timed(() => gleanerPull(verifyOut, ['--no-verify']));

  const header = [
    'files at once',
    ...(CURL ? ['curl s', 'curl MB/s'] : []),
    'node fetch s',
    'node MB/s',
    'gleaner pull s',
    'pull MB/s',
    ...(CURL ? ['pull / curl'] : []),
    'pull / node',
    'in-process fetch s',
    'pull transfer s',
    'transfer / in-process',
  ];
  const align = header.map(() => '---:');
  process.stdout.write(
    `\n${RECORDS} records, ${BODY_BYTES / 1024} KiB raw bodies, ${summary.shards} shards: ${detail.files.length} ` +
      `files, ${(totalBytes / 1e6).toFixed(1)} MB; median of ${ROUNDS} rounds; Node ${process.versions.node}` +
      `${CURL ? `, ${(await run(CURL, ['--version'])).split(' ').slice(0, 2).join(' ')}` : ', no curl'}\n\n` +
      `| ${header.join(' | ')} |\n| ${align.join(' | ')} |\n` +
      rows.map((r) => `| ${r.join(' | ')} |`).join('\n') +
      `\n\nA whole pull with its verification (${summary.records} records, every node signature): ` +
      `${verifyRun.toFixed(2)} s; again into the same folder (every file kept after its SHA-256, nothing ` +
      `fetched): ${resumeRun.toFixed(2)} s.\n`,
  );

  /** Every contender must have written every file whole: a short or missing file would flatter its time. */
  async function checkFolder(out: string): Promise<void> {
    for (const file of detail.files) {
      const size = (await stat(path.join(out, file.path))).size;
      if (size !== file.bytes) throw new Error(`${out}: ${file.path} has ${size} bytes, not ${file.bytes}`);
    }
  }
} finally {
  for (const stop of stops) await stop().catch(() => undefined);
  if (!process.env.GLEANER_KEEP_BENCH_DATA) await rm(work, { recursive: true, force: true });
}
