import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { generateNodeKeyPair, signMessage } from '@gleaner/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSnapshot } from './build-snapshot.js';
import type { SnapshotManifest } from './snapshot-manifest.js';
import { makeTestRecords, type TestRecordSet } from './test-records.js';
import { verifySnapshot, type VerifyProgress } from './verify-snapshot.js';

let root: string;
let built: string;
let set: TestRecordSet;
let copies = 0;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'gleaner-verify-'));
  set = makeTestRecords({ count: 12 });
  built = path.join(root, 'built');
  await buildSnapshot(set.records, {
    dir: built,
    snapshotId: 'snap_1',
    datasetId: 'ds_test',
    nodeKeys: set.nodeKeys,
    signer: set.signer,
    shardRecords: 5,
  });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A fresh copy of the built snapshot to tamper with. */
async function copy(): Promise<string> {
  const dir = path.join(root, `copy-${copies++}`);
  await cp(built, dir, { recursive: true });
  return dir;
}

async function manifestOf(dir: string): Promise<SnapshotManifest> {
  return JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as SnapshotManifest;
}

/** Rewrites a file and puts its new size and SHA-256 in the manifest, leaving the manifest's signature as it was. */
async function replaceAndRehash(dir: string, file: string, bytes: Buffer): Promise<void> {
  await writeFile(path.join(dir, file), bytes);
  const manifest = await manifestOf(dir);
  const entry = manifest.files.find((f) => f.path === file)!;
  entry.bytes = bytes.length;
  entry.sha256 = createHash('sha256').update(bytes).digest('hex');
  await writeFile(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

describe('verifySnapshot', () => {
  it('passes a snapshot as built, and reports progress', async () => {
    const progress: VerifyProgress[] = [];
    const result = await verifySnapshot(built, {
      signerPublicKeyPem: set.coordinatorPublicKeyPem,
      onProgress: (p) => progress.push(p),
    });
    expect(result).toMatchObject({
      ok: true,
      snapshotId: 'snap_1',
      datasetId: 'ds_test',
      records: 12,
      shards: 3,
      files: 13,
      signerKeyId: 'coordinator-test',
      nodes: 2,
    });
    expect(progress.filter((p) => p.phase === 'files')).toHaveLength(13);
    expect(progress.at(-1)).toMatchObject({ phase: 'records', done: 12, total: 12 });
  });

  it('names the file when any byte of any file is flipped', async () => {
    const manifest = await manifestOf(built);
    const files = [...manifest.files.map((f) => f.path), 'manifest.json', 'manifest.sig'];
    for (const file of files) {
      const dir = await copy();
      const bytes = await readFile(path.join(dir, file));
      const at = Math.floor(bytes.length / 2);
      bytes[at] = bytes[at]! ^ 0x01;
      await writeFile(path.join(dir, file), bytes);
      const result = await verifySnapshot(dir);
      expect(result.ok, file).toBe(false);
      if (result.ok) continue;
      const named = file === 'manifest.json' ? /manifest\.(json|sig)/ : file;
      expect(result.message, file).toMatch(named);
      if (file !== 'manifest.json') expect(result.file, file).toBe(file);
      await rm(dir, { recursive: true });
    }
  });

  it('names the record edited in the JSONL even when the file is re-hashed in the manifest', async () => {
    const dir = await copy();
    const shard = (await manifestOf(dir)).shards[1]!;
    const lines = gunzipSync(await readFile(path.join(dir, shard.jsonl)))
      .toString('utf8')
      .split('\n');
    const row = JSON.parse(lines[2]!) as { text: string; id: string };
    row.text = 'Text that the node never fetched.';
    lines[2] = JSON.stringify(row);
    await replaceAndRehash(dir, shard.jsonl, gzipSync(Buffer.from(lines.join('\n'))));
    const result = await verifySnapshot(dir);
    expect(result).toMatchObject({ ok: false, recordId: 'rec-7', file: shard.jsonl });
    if (!result.ok)
      expect(result.message).toMatch(/^record rec-7 \(data\/train-00001-of-00003\.jsonl\.gz line 3\)/);
  });

  it('blames the manifest signature when the manifest alone was altered', async () => {
    const dir = await copy();
    const manifest = await manifestOf(dir);
    manifest.records = 11;
    await writeFile(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const result = await verifySnapshot(dir);
    expect(result).toMatchObject({ ok: false, file: 'manifest.sig' });
  });

  it('names the record whose node signature does not verify', async () => {
    const records = makeTestRecords({ count: 6 });
    const forger = generateNodeKeyPair();
    records.records[4]!.provenance.signature = signMessage(forger.privateKeyPem, 'something else');
    const dir = path.join(root, 'bad-signature');
    await buildSnapshot(records.records, {
      dir,
      snapshotId: 'snap_bad',
      datasetId: 'ds_test',
      nodeKeys: records.nodeKeys,
      signer: records.signer,
    });
    const result = await verifySnapshot(dir);
    expect(result).toMatchObject({ ok: false, recordId: 'rec-4' });
    if (!result.ok) expect(result.message).toContain('the signature of node node-a does not verify');
  });

  it('fails a snapshot signed by another key than the trusted one', async () => {
    const result = await verifySnapshot(built, { signerPublicKeyPem: generateNodeKeyPair().publicKeyPem });
    expect(result).toMatchObject({ ok: false, file: 'manifest.json' });
  });

  it('fails on a file the manifest does not list, and on a missing one', async () => {
    const extra = await copy();
    await writeFile(path.join(extra, 'data', 'extra.parquet'), 'not listed');
    expect(await verifySnapshot(extra)).toMatchObject({ ok: false, file: 'data/extra.parquet' });
    const missing = await copy();
    await rm(path.join(missing, 'nodes.json'));
    expect(await verifySnapshot(missing)).toMatchObject({ ok: false, file: 'nodes.json', reason: 'missing' });
  });

  it('with allowMissing checks the signature and the files that are there, and still fails a bad one', async () => {
    const partial = await copy();
    await rm(path.join(partial, 'warc'), { recursive: true });
    const manifest = await manifestOf(partial);
    const parquet = manifest.files.filter((f) => f.path.endsWith('.parquet'));
    for (const file of parquet) await rm(path.join(partial, file.path));
    expect(await verifySnapshot(partial)).toMatchObject({ ok: false, reason: 'missing' });
    const missing = manifest.files.filter((f) => f.path.startsWith('warc/')).length + parquet.length;
    expect(await verifySnapshot(partial, { allowMissing: true })).toMatchObject({
      ok: true,
      files: manifest.files.length - missing,
      missingFiles: missing,
      nodes: 0,
    });
    const jsonl = manifest.files.find((f) => f.path.endsWith('.jsonl.gz'))!.path;
    const bytes = await readFile(path.join(partial, jsonl));
    bytes.writeUInt8(bytes.at(-1)! ^ 1, bytes.length - 1);
    await writeFile(path.join(partial, jsonl), bytes);
    expect(await verifySnapshot(partial, { allowMissing: true })).toMatchObject({ ok: false, file: jsonl });
    const resigned = await copy();
    await rm(path.join(resigned, parquet[0]!.path));
    await writeFile(path.join(resigned, 'manifest.sig'), Buffer.alloc(64).toString('base64'));
    expect(await verifySnapshot(resigned, { allowMissing: true })).toMatchObject({
      ok: false,
      file: 'manifest.sig',
    });
  });
});
