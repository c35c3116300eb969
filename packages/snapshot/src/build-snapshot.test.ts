import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { ConflictError } from '@gleaner/core';
import { CDXIndexer, WARCParser } from 'warcio';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildSnapshot, type BuildSnapshotOptions } from './build-snapshot.js';
import { readSnapshotRecordIndex } from './snapshot-changes.js';
import type { SnapshotManifest } from './snapshot-manifest.js';
import { toSnapshotRow, type SnapshotRow } from './snapshot-record.js';
import { makeTestRecords, type TestRecordSet } from './test-records.js';
import { parseWarcFields } from './warc-fields.js';

let root: string;
let set: TestRecordSet;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'gleaner-snapshot-'));
  set = makeTestRecords({ count: 12 });
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function options(dir: string, extra: Partial<BuildSnapshotOptions> = {}): BuildSnapshotOptions {
  return {
    dir,
    snapshotId: 'snap_1',
    datasetId: 'ds_test',
    nodeKeys: set.nodeKeys,
    signer: set.signer,
    shardRecords: 5,
    createdAt: new Date('2025-04-01T00:00:00Z'),
    ...extra,
  };
}

async function manifestOf(dir: string): Promise<SnapshotManifest> {
  return JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as SnapshotManifest;
}

async function jsonlLines(dir: string, manifest: SnapshotManifest): Promise<string[]> {
  const lines: string[] = [];
  for (const shard of manifest.shards) {
    const text = gunzipSync(await readFile(path.join(dir, shard.jsonl))).toString('utf8');
    lines.push(...text.split('\n').filter((line) => line !== ''));
  }
  return lines;
}

describe('buildSnapshot', () => {
  it('writes zstd Parquet shards that DuckDB reads back with every record', async () => {
    const dir = path.join(root, 'snap');
    await buildSnapshot(set.records, options(dir));
    const manifest = await manifestOf(dir);
    expect(manifest.shards.map((s) => s.parquet)).toEqual([
      'data/train-00000-of-00003.parquet',
      'data/train-00001-of-00003.parquet',
      'data/train-00002-of-00003.parquet',
    ]);
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const glob = path.join(dir, 'data', '*.parquet');
      const result = await connection.runAndReadAll(
        `select count(*)::int as n, count(distinct url)::int as urls, count(distinct finalUrl)::int as finals,
                sum(textBytes)::int as text_bytes, min(fetchedAt)::varchar as first
         from read_parquet('${glob}')`,
      );
      expect(result.getRowObjectsJS()).toEqual([
        {
          n: 12,
          urls: new Set(set.records.map((r) => r.url)).size,
          finals: 12,
          text_bytes: set.records.reduce((sum, r) => sum + r.textBytes, 0),
          first: '2025-03-01 12:00:00',
        },
      ]);
      const rec = await connection.runAndReadAll(
        `select id, title, language, pageType, json_extract(provenance, '$.jobId')::varchar as job,
                json_extract(quality, '$.wordCount')::int as words
         from read_parquet('${glob}') where id = 'rec-5'`,
      );
      expect(rec.getRowObjectsJS()).toEqual([
        { id: 'rec-5', title: 'Page 5', language: null, pageType: null, job: '"job-5"', words: 50 },
      ]);
      // Every column chunk of every shard is zstd, as DuckDB reads the files' own metadata.
      const codecs = await connection.runAndReadAll(
        `select distinct compression::varchar as codec from parquet_metadata('${glob}')`,
      );
      expect(codecs.getRowObjectsJS()).toEqual([{ codec: 'ZSTD' }]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it('writes JSONL shards whose lines are the input records, in order', async () => {
    const dir = path.join(root, 'snap');
    await buildSnapshot(set.records, options(dir));
    const manifest = await manifestOf(dir);
    expect(manifest.shards.map((s) => s.records)).toEqual([5, 5, 2]);
    const rows = (await jsonlLines(dir, manifest)).map((line) => JSON.parse(line) as SnapshotRow);
    expect(rows).toEqual(set.records.map(toSnapshotRow));
  });

  it('writes WARC request, response and metadata records that warcio parses, with matching digests', async () => {
    const dir = path.join(root, 'snap');
    await buildSnapshot(set.records, options(dir));
    const manifest = await manifestOf(dir);
    const seen: { type: string; url: string | null | undefined }[] = [];
    let responses = 0;
    for (const shard of manifest.shards) {
      for await (const record of WARCParser.iterRecords(createReadStream(path.join(dir, shard.warc)))) {
        seen.push({ type: record.warcType, url: record.warcTargetURI });
        if (record.warcType === 'response') {
          const input = set.records.find((r) => r.finalUrl === record.warcTargetURI)!;
          const payload = Buffer.from(await record.readFully(false));
          expect(payload.equals(await input.rawBody())).toBe(true);
          const digest = createHash('sha256').update(payload).digest('hex');
          expect(record.warcPayloadDigest).toBe(`sha256:${digest}`);
          expect(digest).toBe(input.bodySha256);
          expect(record.httpHeaders?.statusCode).toBe(200);
          expect(record.httpHeaders?.headers.get('content-encoding')).toBeNull();
          expect(record.httpHeaders?.headers.get('etag')).toBe(input.httpHeaders!.etag);
          responses++;
        }
        if (record.warcType === 'metadata') {
          const fields = parseWarcFields(await record.contentText());
          const input = set.records.find((r) => r.id === fields.get('gleaner-record-id')?.[0])!;
          expect(fields.get('gleaner-node-id')).toEqual([input.nodeId]);
          expect(fields.get('gleaner-job-id')).toEqual([input.provenance.jobId]);
          expect(fields.get('gleaner-attempt')).toEqual([String(input.provenance.attempt)]);
          expect(fields.get('gleaner-redirect') ?? []).toEqual(input.provenance.redirects);
          expect(fields.get('gleaner-node-signature')).toEqual([input.provenance.signature]);
        }
      }
    }
    expect(responses).toBe(12);
    // The block digest covers the HTTP header block and the payload, as read without parsing HTTP.
    for await (const record of WARCParser.iterRecords(
      createReadStream(path.join(dir, manifest.shards[0]!.warc)),
      {
        parseHttp: false,
      },
    )) {
      if (record.warcType !== 'response') continue;
      const block = Buffer.from(await record.readFully(false));
      expect(record.warcBlockDigest).toBe(`sha256:${createHash('sha256').update(block).digest('hex')}`);
    }
    expect(seen.filter((r) => r.type === 'warcinfo')).toHaveLength(3);
    expect(seen.filter((r) => r.type !== 'warcinfo').map((r) => r.type)).toEqual(
      set.records.flatMap(() => ['request', 'response', 'metadata']),
    );
  });

  it('writes the CDXJ index that warcio’s indexer makes from the WARC files, sorted', async () => {
    const dir = path.join(root, 'snap');
    await buildSnapshot(set.records, options(dir));
    const manifest = await manifestOf(dir);
    const indexer = new CDXIndexer({ format: 'cdxj' });
    const expected: string[] = [];
    for await (const cdx of indexer.iterIndex(
      manifest.shards.map((s) => ({
        filename: path.basename(s.warc),
        reader: createReadStream(path.join(dir, s.warc)),
      })),
    ))
      expected.push(indexer.serializeCDXJ(cdx).trimEnd());
    const written = (await readFile(path.join(dir, 'warc/index.cdxj'), 'utf8')).trimEnd().split('\n');
    expect(written).toEqual([...expected].sort());
    expect(written).toHaveLength(12);
  });

  it('puts in the manifest a Merkle root that plain node:crypto recomputes from the JSONL lines', async () => {
    const dir = path.join(root, 'snap');
    const summary = await buildSnapshot(set.records, options(dir));
    const manifest = await manifestOf(dir);
    const sha = (...parts: Buffer[]): Buffer => createHash('sha256').update(Buffer.concat(parts)).digest();
    const mth = (entries: Buffer[]): Buffer => {
      if (entries.length === 1) return sha(Buffer.from([0]), entries[0]!);
      let k = 1;
      while (k * 2 < entries.length) k *= 2;
      return sha(Buffer.from([1]), mth(entries.slice(0, k)), mth(entries.slice(k)));
    };
    const leaves = (await jsonlLines(dir, manifest)).map((line) => sha(Buffer.from(line, 'utf8')));
    expect(manifest.merkle.root).toBe(mth(leaves).toString('hex'));
    expect(summary.merkleRoot).toBe(manifest.merkle.root);
    expect(manifest.records).toBe(12);
  });

  it('lists every file in the manifest with its size and SHA-256, and the node keys in nodes.json', async () => {
    const dir = path.join(root, 'snap');
    await buildSnapshot(set.records, options(dir));
    const manifest = await manifestOf(dir);
    const files = (await readdir(dir, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
      .filter((file) => file !== 'manifest.json' && file !== 'manifest.sig')
      .sort();
    expect(manifest.files.map((f) => f.path)).toEqual(files);
    for (const file of manifest.files) {
      const bytes = await readFile(path.join(dir, file.path));
      expect(file.bytes).toBe(bytes.length);
      expect(file.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
    const nodes = JSON.parse(await readFile(path.join(dir, 'nodes.json'), 'utf8')) as {
      nodes: { nodeId: string; publicKeyPem: string }[];
    };
    expect(nodes.nodes).toEqual([
      { nodeId: 'node-a', algorithm: 'ed25519', publicKeyPem: set.nodeKeys.get('node-a') },
      { nodeId: 'node-b', algorithm: 'ed25519', publicKeyPem: set.nodeKeys.get('node-b') },
    ]);
    expect(manifest.recordSchema.find((f) => f.name === 'provenance')).toEqual({
      name: 'provenance',
      type: 'json',
      nullable: false,
    });
  });

  it('writes a dataset card with Hub front matter and the right statistics', async () => {
    const dir = path.join(root, 'snap');
    await buildSnapshot(set.records, options(dir, { card: { prettyName: 'Test pages', license: 'odc-by' } }));
    const card = await readFile(path.join(dir, 'README.md'), 'utf8');
    const front = card.split('\n---\n')[0]!;
    expect(front).toBe(
      [
        '---',
        'pretty_name: "Test pages"',
        'license: "odc-by"',
        'language:',
        '- de',
        '- en',
        'size_categories:',
        '- n<1K',
        'task_categories:',
        '- text-generation',
        'configs:',
        '- config_name: default',
        '  data_files:',
        '  - split: train',
        '    path: data/train-*.parquet',
      ].join('\n'),
    );
    // Languages: n % 3 → en, de, null; hosts: n % 3; wordCount 10·n → 0..40 (<50): 5, 50..110: 7.
    expect(card).toContain('| records | 12 |');
    expect(card).toContain(`| text | ${set.records.reduce((s, r) => s + r.textBytes, 0)} bytes |`);
    expect(card).toContain('| hosts | 3 |');
    expect(card).toContain('| de | 4 | 33.3 % |');
    expect(card).toContain('| unknown | 4 | 33.3 % |');
    expect(card).toContain('| a.example | 4 | 33.3 % |');
    expect(card).toContain('| fetched from | 2025-03-01T12:00:00.000Z |');
    expect(card).toContain('| fetched to | 2025-03-12T12:00:00.000Z |');
    expect(card).toContain('| <50 | 5 | 41.7 % |');
    expect(card).toContain('| 50–199 | 7 | 58.3 % |');
    expect(card).toContain('| wordCount | 55 |');
    // robots: n % 5 === 0 → rec-0, rec-5, rec-10.
    expect(card).toContain('| allowed | 9 | 75.0 % |');
    expect(card).toContain('| allowed:no-robots-txt | 3 | 25.0 % |');
  });

  it('lists added records, new versions, withdrawn and removed ones against the previous snapshot', async () => {
    const first = path.join(root, 'first');
    await buildSnapshot(set.records.slice(0, 8), options(first, { snapshotId: 'snap_1' }));
    const next = makeTestRecords({ count: 3, start: 20 });
    for (const record of next.records) {
      record.nodeId = 'node-a';
      record.provenance.signature = set.records[0]!.provenance.signature;
    }
    next.records[1]!.version = 2;
    const second = path.join(root, 'second');
    const summary = await buildSnapshot([...set.records.slice(0, 5), ...next.records], {
      ...options(second, { snapshotId: 'snap_2' }),
      previous: { snapshotId: 'snap_1', records: readSnapshotRecordIndex(first) },
      withdrawnIds: ['rec-1', 'rec-6'],
    });
    expect(summary.changes).toEqual({
      added: 2,
      newVersions: 1,
      unchanged: 4,
      changed: 0,
      withdrawn: 2,
      removed: 2,
    });
    const changes = JSON.parse(await readFile(path.join(second, 'changes.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(changes).toMatchObject({
      snapshotId: 'snap_2',
      previousSnapshotId: 'snap_1',
      added: [
        { id: 'rec-20', url: next.records[0]!.url },
        { id: 'rec-22', url: next.records[2]!.url },
      ],
      newVersions: [{ id: 'rec-21', url: next.records[1]!.url, version: 2 }],
      withdrawn: ['rec-1', 'rec-6'],
      removed: ['rec-5', 'rec-7'],
    });
    expect((await manifestOf(second)).previousSnapshotId).toBe('snap_1');
    expect((await manifestOf(second)).records).toBe(7);
  });

  it('never changes a published folder, and starts over from a stale partial build', async () => {
    const dir = path.join(root, 'snap');
    await mkdir(`${dir}.partial/data`, { recursive: true });
    await writeFile(`${dir}.partial/data/left-over.parquet`, 'from a killed build');
    await buildSnapshot(set.records, options(dir));
    expect(await readdir(root)).toEqual(['snap']);
    expect((await readdir(path.join(dir, 'data'))).some((f) => f.startsWith('left-over'))).toBe(false);
    const before = await readFile(path.join(dir, 'manifest.json'));
    await expect(buildSnapshot(set.records, options(dir))).rejects.toBeInstanceOf(ConflictError);
    expect((await readFile(path.join(dir, 'manifest.json'))).equals(before)).toBe(true);
  });

  it('refuses a record whose raw body does not match its bodySha256, publishing nothing', async () => {
    const dir = path.join(root, 'snap');
    const records = set.records.slice(0, 3);
    records[2] = { ...records[2]!, rawBody: () => Promise.resolve(Buffer.from('something else')) };
    await expect(buildSnapshot(records, options(dir))).rejects.toMatchObject({ code: 'BODY_HASH_MISMATCH' });
    expect(await readdir(root)).toEqual([]);
  });

  it('builds an empty snapshot with one empty shard', async () => {
    const dir = path.join(root, 'snap');
    const summary = await buildSnapshot([], options(dir));
    expect(summary).toMatchObject({ records: 0, shards: 1 });
    expect(summary.merkleRoot).toBe(createHash('sha256').digest('hex'));
  });
});
