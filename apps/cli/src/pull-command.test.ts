import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rename, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { LocalBlobStore } from '@gleaner/blob-store';
import { records as recordsTable, type SnapshotRow } from '@gleaner/db';
import {
  GleanerApiError,
  GleanerClient,
  SnapshotFileMismatchError,
  type FeedLine,
  type RetryEvent,
  type SnapshotDetail,
} from '@gleaner/sdk';
import { verifySnapshot } from '@gleaner/snapshot';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runPull } from './pull-command.js';
import { FEED_STATE_FILE, runFeedPull, type FeedState } from './pull-feed.js';
import { startPullTestStack, type PullTestStack } from './pull-test-stack.js';
import { PullTestProxy } from './pull-test-proxy.js';

/** A writable that keeps what was written, for the commands' stdout and stderr. */
function capture(): PassThrough & { text(): string } {
  const chunks: Buffer[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return Object.assign(stream, { text: () => Buffer.concat(chunks).toString('utf8') });
}

let stack: PullTestStack;
let proxy: PullTestProxy;
let snapshot: SnapshotRow;
let work: string;
let nextUrlId = 1;

/** Inserts `count` live records into the dataset, as the pipeline writes them. */
async function addRecords(
  prefix: string,
  count: number,
  extra: Partial<typeof recordsTable.$inferInsert> = {},
): Promise<string[]> {
  const rows = Array.from({ length: count }, (_, n) => {
    const urlId = nextUrlId++;
    return {
      id: `rec_${prefix}_${n}`,
      datasetId: stack.datasetId,
      campaignId: 'cmp_test',
      urlId,
      url: `https://example.com/${prefix}/${n}`,
      finalUrl: `https://example.com/${prefix}/${n}`,
      host: 'example.com',
      status: 200,
      contentType: 'text/html; charset=utf-8',
      fetchedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)),
      nodeId: 'nod_1',
      ownerId: 'own_1',
      bodySha256: 'a'.repeat(64),
      blobKey: `raw/test/${urlId}`,
      title: `Page ${n}`,
      text: `text of ${prefix} ${n} `.repeat(20),
      markdown: `# Page ${n}`,
      language: 'en',
      textHash: `hash-${urlId}`,
      textBytes: 10,
      metadata: { n },
      quality: { wordCount: 300, lineEndPunctuationRatio: 0.9 },
      ...extra,
    };
  });
  await stack.db.db.insert(recordsTable).values(rows);
  return rows.map((r) => r.id);
}

const client = (key = stack.readKey, retry = { baseDelayMs: 20 }) =>
  new GleanerClient({ baseUrl: proxy.url, apiKey: key, retry });

beforeAll(async () => {
  stack = await startPullTestStack();
  proxy = new PullTestProxy(stack.url);
  await proxy.start();
  // Three shards of 20 records with 40 KiB random bodies: a dozen files, the WARC ones about 270 KiB each.
  snapshot = await stack.publish({ records: 60, bodyBytes: 40 * 1024, shardRecords: 20 });
  work = await mkdtemp(path.join(tmpdir(), 'gleaner-pull-'));
}, 120_000);

afterAll(async () => {
  await proxy?.stop();
  await stack?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

afterEach(() => {
  proxy.log.length = 0;
});

describe('GleanerClient against the coordinator', () => {
  it('lists datasets and reads a summary, and names a missing dataset with the API error', async () => {
    const gleaner = client();
    expect((await gleaner.datasets()).map((d) => d.id)).toContain(stack.datasetId);
    expect(await gleaner.dataset(stack.datasetId)).toMatchObject({ id: stack.datasetId });
    const error = await gleaner.dataset('dst_missing').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GleanerApiError);
    expect(error).toMatchObject({ status: 404, code: 'NOT_FOUND', retryable: false });
  });

  it('walks the feed page by page in gzip, ends caught up, and resumes from a saved cursor with tombstones', async () => {
    const ids = await addRecords('feed', 7);
    const reader = client().feed(stack.datasetId, { limit: 3 });
    const seen: FeedLine[] = [];
    for await (const line of reader) seen.push(line);
    expect(seen.map((l) => l.id)).toEqual(expect.arrayContaining(ids));
    const feedRequests = proxy.requestsTo('/records');
    expect(feedRequests.length).toBeGreaterThanOrEqual(4); // three full pages, one short, one empty
    expect(feedRequests.every((r) => r.query.includes('limit=3'))).toBe(true);
    expect(feedRequests.filter((r) => r.query.includes('cursor=')).length).toBe(feedRequests.length - 1);
    expect(
      feedRequests.filter((r) => r.status === 200 && r.contentEncoding === 'gzip').length,
    ).toBeGreaterThan(0);
    const saved = reader.cursor!;
    expect(saved).toBeTruthy();

    const more = await addRecords('feed-more', 2);
    const withdraw = await fetch(`${stack.url}/v1/datasets/${stack.datasetId}/records/${ids[0]}/withdraw`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'takedown' }),
    });
    expect(withdraw.status).toBe(200);
    const resumed: FeedLine[] = [];
    for await (const line of client().feed(stack.datasetId, { cursor: saved, limit: 100 }))
      resumed.push(line);
    expect(resumed.map((l) => `${l.type}:${l.id}`)).toEqual([
      ...more.map((id) => `record:${id}`),
      `tombstone:${ids[0]}`,
    ]);
  });

  it('retries 429 after its Retry-After and 503 with back-off, then gives up with a retryable error', async () => {
    proxy.inject(
      { status: 429, headers: { 'retry-after': '1' }, pathIncludes: '/v1/datasets' },
      { status: 503, pathIncludes: '/v1/datasets' },
    );
    const started = Date.now();
    const retries: number[] = [];
    const gleaner = new GleanerClient({
      baseUrl: proxy.url,
      apiKey: stack.readKey,
      retry: { baseDelayMs: 20 },
      onRetry: (event) => retries.push(event.status ?? 0),
    });
    expect((await gleaner.datasets()).length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(retries).toEqual([429, 503]);
    expect(proxy.requestsTo('/v1/datasets').map((r) => r.status)).toEqual([429, 503, 200]);

    proxy.inject(...Array.from({ length: 3 }, () => ({ status: 502, pathIncludes: '/v1/datasets' })));
    const tired = new GleanerClient({
      baseUrl: proxy.url,
      apiKey: stack.readKey,
      retry: { retries: 2, baseDelayMs: 10 },
    });
    await expect(tired.datasets()).rejects.toMatchObject({ status: 502, retryable: true });
  });

  it('reads a raw body with a raw:read key, and is refused one without', async () => {
    const body = Buffer.from('<!doctype html><p>raw bytes \u00e9</p>');
    const [id] = await addRecords('raw', 1, {
      bodySha256: createHash('sha256').update(body).digest('hex'),
      blobKey: 'raw/test/raw-page',
    });
    await new LocalBlobStore(stack.blobDir).put('raw/test/raw-page', body);
    const raw = await client(stack.rawKey).raw(stack.datasetId, id!);
    expect(raw.body.equals(body)).toBe(true);
    expect(raw.contentType).toBe('text/html; charset=utf-8');
    await expect(client().raw(stack.datasetId, id!)).rejects.toMatchObject({
      status: 403,
      code: 'FORBIDDEN',
    });
  });

  it('lists snapshots, reads one by id and as latest, with every file', async () => {
    const gleaner = client();
    const list = await gleaner.snapshots(stack.datasetId);
    expect(list.map((s) => s.id)).toContain(snapshot.id);
    const latest = await gleaner.latestSnapshot(stack.datasetId);
    const byId = await gleaner.snapshot(stack.datasetId, snapshot.id);
    expect(latest.id).toBe(snapshot.id);
    expect(byId).toMatchObject({ id: snapshot.id, state: 'published', records: 60, shards: 3 });
    const paths = byId.files!.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['manifest.json', 'manifest.sig', 'nodes.json']));
    expect(paths.filter((p) => p.startsWith('warc/') && p.endsWith('.warc.gz'))).toHaveLength(3);
  });
});

describe('snapshot downloads', () => {
  let detail: SnapshotDetail;
  beforeAll(async () => {
    detail = await client().snapshot(stack.datasetId, snapshot.id);
  });
  const fileRequests = () => proxy.requestsTo('/files/');
  const requestedPaths = () => fileRequests().map((r) => r.path.split('/files/')[1]);

  it('downloads every file verified, then resumes: keeps finished files, continues a partial with a range, refetches a bad one', async () => {
    const dir = path.join(work, 'resume');
    const first = await client(stack.rawKey).downloadSnapshot(stack.datasetId, detail, dir);
    expect(first.files.every((f) => f.outcome === 'fetched')).toBe(true);
    expect(fileRequests()).toHaveLength(detail.files!.length);
    expect(fileRequests().every((r) => r.acceptEncoding === 'identity' && r.range === undefined)).toBe(true);
    expect(await verifySnapshot(dir, { signerPublicKeyPem: stack.signerPublicKeyPem })).toMatchObject({
      ok: true,
      records: 60,
    });

    // An interrupted run: one file half there as a partial, one finished file corrupted.
    const warc = detail.files!.find((f) => f.path.endsWith('.warc.gz'))!;
    const parquet = detail.files!.find((f) => f.path.endsWith('.parquet'))!;
    const half = Math.floor(warc.bytes / 2);
    await truncate(path.join(dir, warc.path), half);
    await rename(path.join(dir, warc.path), path.join(dir, `${warc.path}.partial`));
    const bytes = await readFile(path.join(dir, parquet.path));
    bytes.writeUInt8(bytes[100]! ^ 0xff, 100);
    await writeFile(path.join(dir, parquet.path), bytes);
    proxy.log.length = 0;

    const second = await client(stack.rawKey).downloadSnapshot(stack.datasetId, detail, dir);
    expect(requestedPaths().sort()).toEqual([parquet.path, warc.path].sort());
    expect(proxy.requestsTo(warc.path)[0]).toMatchObject({ range: `bytes=${half}-`, status: 206 });
    expect(proxy.requestsTo(parquet.path)[0]).toMatchObject({ range: undefined, status: 200 });
    expect(second.files.find((f) => f.path === warc.path)).toMatchObject({
      outcome: 'resumed',
      bytesFetched: warc.bytes - half,
    });
    expect(second.files.filter((f) => f.outcome === 'kept')).toHaveLength(detail.files!.length - 2);
    expect(second.bytesFetched).toBe(warc.bytes - half + parquet.bytes);
    expect(await readdir(path.join(dir, 'warc'))).not.toContain(`${path.basename(warc.path)}.partial`);
    expect(await verifySnapshot(dir, { signerPublicKeyPem: stack.signerPublicKeyPem })).toMatchObject({
      ok: true,
    });
  });

  it('continues a transfer that breaks off midway, and throws away a partial that does not match', async () => {
    const dir = path.join(work, 'broken');
    const warc = detail.files!.find((f) => f.path.endsWith('.warc.gz'))!;
    proxy.inject({ status: 200, pathIncludes: warc.path, cutAfterBytes: 100_000 });
    const result = await client(stack.rawKey).downloadSnapshot(stack.datasetId, detail, dir, {
      format: 'warc',
    });
    const tries = proxy.requestsTo(warc.path);
    expect(tries.map((r) => r.range)).toEqual([undefined, expect.stringMatching(/^bytes=\d+-$/)]);
    expect(Number(/\d+/.exec(tries[1]!.range!)![0])).toBeGreaterThan(0);
    expect(result.files.find((f) => f.path === warc.path)?.bytesFetched).toBe(warc.bytes);
    expect((await stat(path.join(dir, warc.path))).size).toBe(warc.bytes);

    // A partial with wrong bytes: resumed, found wrong, deleted and fetched again from the start.
    await rm(path.join(dir, warc.path));
    await writeFile(path.join(dir, `${warc.path}.partial`), Buffer.alloc(1000, 7));
    proxy.log.length = 0;
    await client(stack.rawKey).downloadSnapshot(stack.datasetId, detail, dir, { format: 'warc' });
    expect(proxy.requestsTo(warc.path).map((r) => r.range)).toEqual(['bytes=1000-', undefined]);
    expect(await verifySnapshot(dir, { allowMissing: true })).toMatchObject({ ok: true });
  });

  it('retries a file answered 503 and 429 over node:http, and names a file the server refuses', async () => {
    const dir = path.join(work, 'retried');
    const card = detail.files!.find((f) => f.path === 'README.md')!;
    proxy.inject(
      { status: 503, pathIncludes: '/files/README.md' },
      { status: 429, pathIncludes: '/files/README.md' },
    );
    const retries: RetryEvent[] = [];
    const retrying = new GleanerClient({
      baseUrl: proxy.url,
      apiKey: stack.readKey,
      retry: { baseDelayMs: 20 },
      onRetry: (event) => retries.push(event),
    });
    await retrying.downloadSnapshot(stack.datasetId, { ...detail, files: [card] }, dir);
    expect(proxy.requestsTo('/files/README.md').map((r) => r.status)).toEqual([503, 429, 200]);
    expect(retries.map((r) => r.status)).toEqual([503, 429]);
    expect(await readFile(path.join(dir, 'README.md'))).toHaveLength(card.bytes);

    proxy.inject({ status: 403, pathIncludes: '/files/README.md' });
    await rm(dir, { recursive: true });
    await expect(
      retrying.downloadSnapshot(stack.datasetId, { ...detail, files: [card] }, dir),
    ).rejects.toMatchObject({ status: 403, code: 'INJECTED', retryable: false });
  });

  it('refuses a file whose bytes the manifest does not list', async () => {
    const dir = path.join(work, 'mismatch');
    const file = detail.files!.find((f) => f.path === 'nodes.json')!;
    const forged = { ...detail, files: [{ ...file, sha256: 'f'.repeat(64) }] };
    await expect(client().downloadSnapshot(stack.datasetId, forged, dir)).rejects.toBeInstanceOf(
      SnapshotFileMismatchError,
    );
    await expect(stat(path.join(dir, 'nodes.json.partial'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('gleaner pull', () => {
  it('pulls one format, shows progress lines on a non-terminal, and verifies the signature and those files', async () => {
    const out = path.join(work, 'cli-parquet');
    const stdout = capture();
    const stderr = capture();
    const code = await runPull({
      datasetId: stack.datasetId,
      coordinator: proxy.url,
      apiKey: stack.readKey,
      out,
      format: 'parquet',
      stdout,
      stderr,
    });
    expect(stderr.text()).not.toContain('FAILED');
    expect(code).toBe(0);
    expect(stdout.text()).toMatch(/manifest signature and \d+ files verified/);
    expect(stderr.text()).toMatch(/\d+(\.\d)? KiB \/ \d+(\.\d)? KiB +100% +\d+\/\d+ files .*\/s +ETA 0 s\n/);
    expect(requested()).not.toContainEqual(expect.stringMatching(/warc|jsonl/));
    const listed = await readdir(path.join(out, 'data'));
    expect(listed.every((f) => f.endsWith('.parquet'))).toBe(true);
    expect(listed).toHaveLength(3);
  });

  it('without raw:read, skips the raw files with a message and verifies the rest; a raw:read key fetches only those later', async () => {
    const out = path.join(work, 'cli-noraw');
    proxy.log.length = 0;
    const stdout = capture();
    const stderr = capture();
    const pull = (apiKey: string, extra: Partial<Parameters<typeof runPull>[0]> = {}) =>
      runPull({ datasetId: stack.datasetId, coordinator: proxy.url, apiKey, out, stdout, stderr, ...extra });
    expect(await pull(stack.readKey)).toBe(0);
    const detail = await client().snapshot(stack.datasetId, snapshot.id);
    const raw = detail.files.filter((f) => f.raw).map((f) => f.path);
    expect(raw.sort()).toEqual(
      detail.files
        .filter((f) => f.path.startsWith('warc/'))
        .map((f) => f.path)
        .sort(),
    );
    expect(raw.some((f) => f.endsWith('.cdxj'))).toBe(true);
    expect(stderr.text()).toMatch(
      new RegExp(
        `skipping the ${raw.length} raw files \\(WARC and CDXJ, [\\d.]+ [KM]iB\\): this API key lacks the raw:read scope`,
      ),
    );
    expect(stdout.text()).toMatch(
      new RegExp(`${raw.length} raw skipped \\(no raw:read\\).*manifest signature and \\d+ files verified`),
    );
    // Nothing was asked of the raw files: no 403 on the way.
    expect(proxy.requestsTo('/files/').every((r) => r.status === 200)).toBe(true);
    expect(requested()).not.toContainEqual(expect.stringMatching(/^warc\//));
    await expect(stat(path.join(out, 'warc'))).rejects.toMatchObject({ code: 'ENOENT' });

    // Asking for the WARC format alone with that key says what it lacks.
    await expect(pull(stack.readKey, { format: 'warc' })).rejects.toThrow(/lacks the raw:read scope/);

    proxy.log.length = 0;
    expect(await pull(stack.rawKey)).toBe(0);
    expect(requested().sort()).toEqual(raw.sort());
    expect(stdout.text()).toMatch(/verified: 60 records/);
  });

  it('pulls everything with a raw:read key and verifies every record against the pinned key', async () => {
    const out = path.join(work, 'cli-full');
    const keyFile = path.join(work, 'coordinator.pem');
    await writeFile(keyFile, stack.signerPublicKeyPem);
    const stdout = capture();
    const code = await runPull({
      datasetId: stack.datasetId,
      coordinator: proxy.url,
      apiKey: stack.rawKey,
      out,
      snapshot: snapshot.id,
      signerKeyFile: keyFile,
      stdout,
      stderr: capture(),
    });
    expect(code).toBe(0);
    expect(stdout.text()).toContain(`verified: 60 records, Merkle root ${snapshot.merkleRoot}`);
    proxy.log.length = 0;
    expect(
      await runPull({
        datasetId: stack.datasetId,
        coordinator: proxy.url,
        apiKey: stack.rawKey,
        out,
        stdout,
        stderr: capture(),
      }),
    ).toBe(0);
    expect(requested()).toEqual([]);
  });

  it('follows the feed into gzip shards and a re-run continues from the saved cursor without repeats', async () => {
    const out = path.join(work, 'cli-feed');
    const before = await addRecords('shards', 5);
    const run = () =>
      runFeedPull({
        datasetId: stack.datasetId,
        coordinator: proxy.url,
        apiKey: stack.readKey,
        out,
        shardLines: 4,
        stdout: capture(),
        stderr: capture(),
      });
    expect(await run()).toBe(0);
    const state1 = JSON.parse(await readFile(path.join(out, FEED_STATE_FILE), 'utf8')) as FeedState;
    // A shard a run finished but never saved the cursor of, and a partial one: both are from the crash.
    await writeFile(path.join(out, `feed-${String(state1.nextShard).padStart(5, '0')}.jsonl.gz`), 'junk');
    await writeFile(path.join(out, 'feed-09999.jsonl.gz.partial'), 'junk');
    const after = await addRecords('shards-2', 3);
    expect(await run()).toBe(0);
    expect(await run()).toBe(0);
    const shards = (await readdir(out)).filter((f) => f.endsWith('.jsonl.gz')).sort();
    const lines = shards.flatMap((f) =>
      gunzipSync(readFileSync(path.join(out, f)))
        .toString('utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as FeedLine),
    );
    const ids = lines.map((l) => `${l.type}:${l.id}`);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining([...before, ...after].map((id) => `record:${id}`)));
    const state = JSON.parse(await readFile(path.join(out, FEED_STATE_FILE), 'utf8')) as FeedState;
    expect(state.records + state.tombstones).toBe(lines.length);
    expect(state.nextShard).toBe(shards.length);
    expect(shards.at(-1)).toBe(`feed-${String(shards.length - 1).padStart(5, '0')}.jsonl.gz`);
  });
});

function requested(): string[] {
  return proxy.requestsTo('/files/').map((r) => r.path.split('/files/')[1]!);
}
