import { createHash } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConflictError, NonRetryableError, isEd25519PublicKey } from '@gleaner/core';
import { renderDatasetCard } from './dataset-card.js';
import { MerkleTreeHash } from './merkle-tree-hash.js';
import type { RowGroupLimits } from './parquet-shard-writer.js';
import { RECORD_FIELDS } from './record-schema.js';
import { recordDigest, recordLine } from './record-line.js';
import { ChangeTracker, type ChangeCounts, type PreviousSnapshot } from './snapshot-changes.js';
import { fileDigest, listFiles, syncPath } from './snapshot-files.js';
import { SnapshotLayout } from './snapshot-layout.js';
import {
  MANIFEST_FORMAT,
  serializeSignedManifest,
  signerPublicKey,
  type ManifestShard,
  type SnapshotManifest,
  type SnapshotSigner,
} from './snapshot-manifest.js';
import { toSnapshotRow, type SnapshotRecord } from './snapshot-record.js';
import { SnapshotShard } from './snapshot-shard.js';
import { SnapshotStats } from './snapshot-stats.js';
import { SortedLinesFile } from './sorted-lines-file.js';

/** Options of {@link buildSnapshot}. */
export interface BuildSnapshotOptions extends RowGroupLimits {
  /** The snapshot folder to publish; it must not exist yet (a published snapshot is never changed). */
  dir: string;
  /** Snapshot id; names the WARC files, so keep it to `[A-Za-z0-9_.-]`. */
  snapshotId: string;
  datasetId: string;
  /** Ed25519 public key (SPKI PEM) of every node that fetched a record, by node id. */
  nodeKeys: ReadonlyMap<string, string> | Record<string, string>;
  /** The coordinator's key that signs manifest.json. */
  signer: SnapshotSigner;
  /** The snapshot this one follows, for changes.json; absent for a dataset's first snapshot. */
  previous?: PreviousSnapshot;
  /** Records withdrawn from the dataset: left out if they come in, and listed in changes.json. */
  withdrawnIds?: Iterable<string>;
  /** Dataset card: title (default the dataset id), Hub license id (default `other`), description. */
  card?: { prettyName?: string; license?: string; description?: string };
  /** Records per shard at most; default 100,000. */
  shardRecords?: number;
  /** Uncompressed JSONL bytes per shard at most (a shard closes after the record that passes it); default 512 MiB. */
  shardBytes?: number;
  /** The snapshot's creation time; default now. */
  createdAt?: Date;
  /** Called after every 1,000 records with the count so far. */
  onProgress?: (records: number) => void;
}

/** What {@link buildSnapshot} published. */
export interface SnapshotSummary {
  dir: string;
  snapshotId: string;
  records: number;
  shards: number;
  merkleRoot: string;
  /** Bytes of all files, manifest included. */
  bytes: number;
  changes: ChangeCounts;
  manifest: SnapshotManifest;
}

const WORK_DIR = '.work';

/**
 * Builds a snapshot folder from a stream of records and publishes it with one atomic rename: Parquet and gzip
 * JSONL shards of the records, WARC files of their raw responses with a CDXJ index, nodes.json, changes.json, a
 * dataset card (README.md), and manifest.json with its Ed25519 signature (manifest.sig).
 *
 * The folder is built as `<dir>.partial` beside the target. A build that was killed leaves that folder behind; the
 * next build of the same snapshot removes it and starts again (one builder per snapshot at a time). Memory does not
 * grow with the number of records: records stream through, one Parquet row group at most is buffered, and the
 * change lists and the index are spooled to disk (only the previous snapshot's id index is kept in memory).
 *
 * The builder packages what it is given: it checks each raw body against `bodySha256` and that each node has a
 * key, but not the node signatures; `verifySnapshot` checks everything.
 */
export async function buildSnapshot(
  records: AsyncIterable<SnapshotRecord> | Iterable<SnapshotRecord>,
  options: BuildSnapshotOptions,
): Promise<SnapshotSummary> {
  const dir = path.resolve(options.dir);
  if (await exists(dir)) throw new ConflictError(`snapshot folder ${dir} already exists`);
  if (!/^[A-Za-z0-9_.-]+$/.test(options.snapshotId))
    throw new NonRetryableError(
      'BAD_REQUEST',
      `snapshot id ${JSON.stringify(options.snapshotId)} is not file-safe`,
    );
  const nodeKeys = new Map(
    options.nodeKeys instanceof Map ? options.nodeKeys : Object.entries(options.nodeKeys),
  );
  const signerKeyPem = signerPublicKey(options.signer.privateKeyPem);
  const shardRecords = options.shardRecords ?? 100_000;
  const shardBytes = options.shardBytes ?? 512 * 1024 * 1024;
  const createdAt = (options.createdAt ?? new Date()).toISOString();

  const build = `${dir}.partial`;
  await rm(build, { recursive: true, force: true });
  await mkdir(path.join(build, 'data'), { recursive: true });
  await mkdir(path.join(build, 'warc'), { recursive: true });
  await mkdir(path.join(build, WORK_DIR), { recursive: true });

  try {
    return await buildInto(build, dir, records, options, {
      nodeKeys,
      signerKeyPem,
      shardRecords,
      shardBytes,
      createdAt,
    });
  } catch (error) {
    await rm(build, { recursive: true, force: true });
    throw error;
  }
}

interface BuildSettings {
  nodeKeys: Map<string, string>;
  signerKeyPem: string;
  shardRecords: number;
  shardBytes: number;
  createdAt: string;
}

async function buildInto(
  build: string,
  dir: string,
  records: AsyncIterable<SnapshotRecord> | Iterable<SnapshotRecord>,
  options: BuildSnapshotOptions,
  { nodeKeys, signerKeyPem, shardRecords, shardBytes, createdAt }: BuildSettings,
): Promise<SnapshotSummary> {
  const work = path.join(build, WORK_DIR);
  const withdrawn = new Set(options.withdrawnIds ?? []);
  const changes = await ChangeTracker.open(work, options.previous, withdrawn);
  const stats = new SnapshotStats();
  const merkle = new MerkleTreeHash();
  const cdxj = new SortedLinesFile(path.join(build, SnapshotLayout.cdxj), work);
  const usedNodes = new Set<string>();
  const shards: { shard: SnapshotShard; records: number }[] = [];
  let shard: SnapshotShard | null = null;

  try {
    for await (const record of records) {
      if (withdrawn.has(record.id)) {
        await changes.withdrew(record.id);
        continue;
      }
      const row = toSnapshotRow(record);
      if (row.datasetId !== options.datasetId)
        throw new NonRetryableError('BAD_REQUEST', `record ${row.id} belongs to dataset ${row.datasetId}`);
      if (!usedNodes.has(row.nodeId)) {
        const nodeKey = nodeKeys.get(row.nodeId);
        if (!nodeKey || !isEd25519PublicKey(nodeKey))
          throw new NonRetryableError(
            'BAD_REQUEST',
            `record ${row.id}: node ${row.nodeId} has no Ed25519 public key`,
          );
        usedNodes.add(row.nodeId);
      }
      const body = await record.rawBody();
      const bodySha256 = createHash('sha256').update(body).digest('hex');
      if (bodySha256 !== row.bodySha256)
        throw new NonRetryableError(
          'BODY_HASH_MISMATCH',
          `record ${row.id}: raw body SHA-256 ${bodySha256} is not its bodySha256 ${row.bodySha256}`,
        );
      const line = recordLine(row);
      const digest = recordDigest(line);

      if (!shard) shard = await SnapshotShard.open(build, shards.length, options.snapshotId, options);
      const index = await shard.add(line, {
        row,
        body,
        httpHeaders: record.httpHeaders,
        recordDigest: digest.toString('hex'),
      });
      await cdxj.add(index.trimEnd());
      merkle.add(digest);
      stats.add(row, body.length);
      await changes.add(row);
      if (merkle.size % 1000 === 0) options.onProgress?.(merkle.size);
      if (shard.records >= shardRecords || shard.jsonBytes >= shardBytes) {
        await shard.close();
        shards.push({ shard, records: shard.records });
        shard = null;
      }
    }
  } catch (error) {
    // Close the open files before the caller removes the folder; their own errors add nothing.
    await shard?.close().catch(() => undefined);
    throw error;
  }
  if (shard || shards.length === 0) {
    shard ??= await SnapshotShard.open(build, shards.length, options.snapshotId, options);
    await shard.close();
    shards.push({ shard, records: shard.records });
  }

  const manifestShards: ManifestShard[] = [];
  for (const { shard: done, records: count } of shards) {
    const parquet = SnapshotLayout.parquet(done.index, shards.length);
    const jsonl = SnapshotLayout.jsonl(done.index, shards.length);
    await rename(done.parquetPath, path.join(build, parquet));
    await rename(done.jsonlPath, path.join(build, jsonl));
    manifestShards.push({ records: count, parquet, jsonl, warc: done.warcName });
  }
  await cdxj.finish();
  const changeCounts = await changes.write(options.snapshotId, path.join(build, SnapshotLayout.changes));
  await rm(work, { recursive: true, force: true });

  const nodes = [...usedNodes].sort().map((nodeId) => ({
    nodeId,
    algorithm: 'ed25519',
    publicKeyPem: nodeKeys.get(nodeId)!,
  }));
  await writeFile(path.join(build, SnapshotLayout.nodes), `${JSON.stringify({ nodes }, null, 2)}\n`);

  const merkleRoot = merkle.root();
  const statistics = stats.result();
  const sumBytes = async (paths: string[]): Promise<number> =>
    (await Promise.all(paths.map((p) => stat(path.join(build, p))))).reduce((sum, s) => sum + s.size, 0);
  const card = renderDatasetCard(statistics, {
    snapshotId: options.snapshotId,
    datasetId: options.datasetId,
    createdAt,
    previousSnapshotId: options.previous?.snapshotId ?? null,
    merkleRoot,
    signerKeyId: options.signer.keyId,
    ...options.card,
    shards: shards.length,
    parquetBytes: await sumBytes(manifestShards.map((s) => s.parquet)),
    jsonlBytes: await sumBytes(manifestShards.map((s) => s.jsonl)),
    warcBytes: await sumBytes(manifestShards.map((s) => s.warc)),
  });
  await writeFile(path.join(build, SnapshotLayout.card), card);

  const files = [];
  for (const file of await listFiles(build)) {
    await syncPath(path.join(build, file));
    files.push({ path: file, ...(await fileDigest(path.join(build, file))) });
  }
  const manifest: SnapshotManifest = {
    format: MANIFEST_FORMAT,
    snapshotId: options.snapshotId,
    datasetId: options.datasetId,
    createdAt,
    previousSnapshotId: options.previous?.snapshotId ?? null,
    records: merkle.size,
    merkle: { construction: 'rfc6962-sha256', leaf: 'sha256(jsonl-line)', root: merkleRoot },
    recordSchema: RECORD_FIELDS.map(({ name, type, nullable }) => ({ name, type, nullable })),
    shards: manifestShards,
    files,
    signer: { keyId: options.signer.keyId, algorithm: 'ed25519', publicKeyPem: signerKeyPem },
  };
  const signed = serializeSignedManifest(manifest, options.signer.privateKeyPem);
  await writeFile(path.join(build, SnapshotLayout.manifest), signed.manifest);
  await writeFile(path.join(build, SnapshotLayout.signature), `${signed.signature}\n`);
  for (const file of [SnapshotLayout.manifest, SnapshotLayout.signature, 'data', 'warc', '.'])
    await syncPath(path.join(build, file));

  if (await exists(dir)) throw new ConflictError(`snapshot folder ${dir} already exists`);
  await rename(build, dir);
  await syncPath(path.dirname(dir));
  options.onProgress?.(merkle.size);

  const bytes =
    files.reduce((sum, file) => sum + file.bytes, 0) + signed.manifest.length + signed.signature.length + 1;
  return {
    dir,
    snapshotId: options.snapshotId,
    records: merkle.size,
    shards: shards.length,
    merkleRoot,
    bytes,
    changes: changeCounts,
    manifest,
  };
}

async function exists(target: string): Promise<boolean> {
  try {
    await stat(target);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
