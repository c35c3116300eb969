import { createPublicKey, verify } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { MerkleTreeHash } from './merkle-tree-hash.js';
import { fileDigest, listFiles } from './snapshot-files.js';
import { SnapshotLayout } from './snapshot-layout.js';
import { MANIFEST_FORMAT, type SnapshotManifest } from './snapshot-manifest.js';
import { SnapshotVerificationError } from './verify-error.js';
import { verifyShard } from './verify-shard.js';

/** Options of {@link verifySnapshot}. */
export interface VerifyOptions {
  /** The coordinator's public key (SPKI PEM) the lab trusts; the manifest must be signed by it. Default: the key the manifest names (which proves integrity, not origin). */
  signerPublicKeyPem?: string;
  /**
   * Accept a folder that holds only some of the manifest's files (a download of one format): the manifest and its
   * signature are checked as always, and every file that is there; the records, their counts and the Merkle root
   * only when no file is missing. Default false: a missing file fails.
   */
  allowMissing?: boolean;
  /** Called as checks advance: after each file hashed, and every 1,000 records. */
  onProgress?: (progress: VerifyProgress) => void;
}

/** Progress of {@link verifySnapshot}. */
export interface VerifyProgress {
  phase: 'files' | 'records';
  done: number;
  total: number;
  /** The file being checked. */
  item: string;
}

/** A snapshot that passed every check. */
export interface VerifySuccess {
  ok: true;
  snapshotId: string;
  datasetId: string;
  records: number;
  shards: number;
  /** Files checked (manifest.json and manifest.sig not counted). */
  files: number;
  /** Bytes of those files. */
  bytes: number;
  merkleRoot: string;
  signerKeyId: string;
  /** Node keys in nodes.json (0 when the records were not checked). */
  nodes: number;
  /** Manifest files absent from the folder (only with `allowMissing`); when not 0 the records were not checked. */
  missingFiles: number;
}

/** The first check that failed. */
export interface VerifyFailure {
  ok: false;
  /** The file to blame, as a path inside the snapshot folder. */
  file: string;
  /** The record to blame, when one is. */
  recordId?: string;
  reason: string;
  /** One line: the file or record, and the reason. */
  message: string;
}

/** The result of {@link verifySnapshot}. */
export type VerifyResult = VerifySuccess | VerifyFailure;

function isManifest(value: unknown): value is SnapshotManifest {
  const m = value as Partial<SnapshotManifest> | null;
  return (
    m !== null &&
    typeof m === 'object' &&
    m.format === MANIFEST_FORMAT &&
    typeof m.snapshotId === 'string' &&
    typeof m.records === 'number' &&
    typeof m.merkle?.root === 'string' &&
    Array.isArray(m.files) &&
    m.files.every(
      (f) => typeof f.path === 'string' && Number.isInteger(f.bytes) && typeof f.sha256 === 'string',
    ) &&
    Array.isArray(m.shards) &&
    m.shards.every(
      (s) =>
        Number.isInteger(s.records) &&
        typeof s.parquet === 'string' &&
        typeof s.jsonl === 'string' &&
        typeof s.warc === 'string',
    ) &&
    typeof m.signer?.publicKeyPem === 'string' &&
    typeof m.signer.keyId === 'string'
  );
}

function spkiDer(pem: string): Buffer | null {
  try {
    return createPublicKey(pem).export({ type: 'spki', format: 'der' });
  } catch {
    return null;
  }
}

/**
 * Verifies a snapshot folder offline and returns the first failure, naming the file or record and why.
 *
 * Checks, in order: manifest.json parses and manifest.sig is an Ed25519 signature of its exact bytes by the
 * manifest's signer (or by `signerPublicKeyPem`, if given); the folder holds exactly the manifest's files, each
 * with its size and SHA-256; every record of every shard (see `verifyShard`: canonical form, WARC payload digest,
 * metadata record, node signature against nodes.json); the record counts; the Merkle root recomputed from the
 * JSONL lines. A mismatch against the manifest is reported as the manifest's when its signature does not verify
 * (an altered manifest explains it); a record that fails its own checks is named even then.
 */
export async function verifySnapshot(dir: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  try {
    return await runChecks(path.resolve(dir), options);
  } catch (error) {
    if (!(error instanceof SnapshotVerificationError)) throw error;
    return {
      ok: false,
      file: error.file,
      ...(error.recordId !== undefined ? { recordId: error.recordId } : {}),
      reason: error.reason,
      message: error.message,
    };
  }
}

async function readOrFail(dir: string, file: string): Promise<Buffer> {
  try {
    return await readFile(path.join(dir, file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SnapshotVerificationError(file, code === 'ENOENT' ? 'missing' : `cannot be read (${code})`);
  }
}

async function runChecks(dir: string, options: VerifyOptions): Promise<VerifySuccess> {
  const manifestBytes = await readOrFail(dir, SnapshotLayout.manifest);
  let parsed: unknown;
  try {
    parsed = JSON.parse(manifestBytes.toString('utf8'));
  } catch {
    throw new SnapshotVerificationError(SnapshotLayout.manifest, 'not valid JSON');
  }
  if (!isManifest(parsed))
    throw new SnapshotVerificationError(SnapshotLayout.manifest, `not a ${MANIFEST_FORMAT} manifest`);
  const manifest = parsed;

  const signerKey = spkiDer(manifest.signer.publicKeyPem);
  if (!signerKey)
    throw new SnapshotVerificationError(SnapshotLayout.manifest, 'its signer key is not a public key');
  if (options.signerPublicKeyPem !== undefined) {
    const pinned = spkiDer(options.signerPublicKeyPem);
    if (!pinned) throw new TypeError('signerPublicKeyPem is not a public key');
    if (!pinned.equals(signerKey))
      throw new SnapshotVerificationError(
        SnapshotLayout.manifest,
        `signed by key ${manifest.signer.keyId}, not by the trusted coordinator key`,
      );
  }
  const signature = (await readOrFail(dir, SnapshotLayout.signature)).toString('utf8').trim();
  let signatureOk = false;
  try {
    const key = createPublicKey({ key: signerKey, format: 'der', type: 'spki' });
    signatureOk = verify(null, manifestBytes, key, Buffer.from(signature, 'base64'));
  } catch {
    signatureOk = false;
  }
  const badSignature = new SnapshotVerificationError(
    SnapshotLayout.signature,
    `the signature over ${SnapshotLayout.manifest} does not verify with key ${manifest.signer.keyId}`,
  );
  /** A disagreement with the manifest: the manifest's fault if its signature fails. */
  const againstManifest = (file: string, reason: string): SnapshotVerificationError =>
    signatureOk ? new SnapshotVerificationError(file, reason) : badSignature;

  const listed = new Map(manifest.files.map((file) => [file.path, file]));
  const present = (await listFiles(dir)).filter(
    (file) => file !== SnapshotLayout.manifest && file !== SnapshotLayout.signature,
  );
  for (const file of present)
    if (!listed.has(file)) throw againstManifest(file, `not listed in ${SnapshotLayout.manifest}`);
  const presentSet = new Set(present);
  let bytes = 0;
  let done = 0;
  let missingFiles = 0;
  for (const file of manifest.files) {
    if (!presentSet.has(file.path) && options.allowMissing) {
      missingFiles++;
      continue;
    }
    if (!presentSet.has(file.path)) throw againstManifest(file.path, 'missing');
    const actual = await fileDigest(path.join(dir, file.path));
    if (actual.bytes !== file.bytes)
      throw againstManifest(file.path, `${actual.bytes} bytes, the manifest says ${file.bytes}`);
    if (actual.sha256 !== file.sha256)
      throw againstManifest(file.path, `SHA-256 ${actual.sha256} is not the manifest's ${file.sha256}`);
    bytes += actual.bytes;
    done++;
    options.onProgress?.({ phase: 'files', done, total: manifest.files.length, item: file.path });
  }
  if (missingFiles > 0) {
    if (!signatureOk) throw badSignature;
    return {
      ok: true,
      snapshotId: manifest.snapshotId,
      datasetId: manifest.datasetId,
      records: manifest.records,
      shards: manifest.shards.length,
      files: done,
      bytes,
      merkleRoot: manifest.merkle.root,
      signerKeyId: manifest.signer.keyId,
      nodes: 0,
      missingFiles,
    };
  }

  const nodes = await readNodes(dir);
  const merkle = new MerkleTreeHash();
  for (const shard of manifest.shards)
    for (const file of [shard.parquet, shard.jsonl, shard.warc])
      if (!listed.has(file))
        throw againstManifest(SnapshotLayout.manifest, `shard file ${file} is not listed`);
  for (const shard of manifest.shards) {
    let count: number;
    try {
      count = await verifyShard(shard, {
        dir,
        nodes,
        merkle,
        onRecord: () => {
          if (merkle.size % 1000 === 0 || merkle.size === manifest.records)
            options.onProgress?.({
              phase: 'records',
              done: merkle.size,
              total: manifest.records,
              item: shard.jsonl,
            });
        },
      });
    } catch (error) {
      // A record that fails its own checks is named; a shard-level failure follows from the manifest when that
      // is not the one that was signed.
      if (error instanceof SnapshotVerificationError && error.recordId === undefined && !signatureOk)
        throw badSignature;
      throw error;
    }
    if (count !== shard.records)
      throw againstManifest(shard.jsonl, `${count} records, the manifest says ${shard.records}`);
  }
  if (merkle.size !== manifest.records)
    throw againstManifest(
      SnapshotLayout.manifest,
      `${merkle.size} records, the manifest says ${manifest.records}`,
    );
  const root = merkle.root();
  if (root !== manifest.merkle.root)
    throw againstManifest(
      SnapshotLayout.manifest,
      `the Merkle root of the records is ${root}, the manifest says ${manifest.merkle.root}`,
    );
  if (!signatureOk) throw badSignature;

  return {
    ok: true,
    snapshotId: manifest.snapshotId,
    datasetId: manifest.datasetId,
    records: manifest.records,
    shards: manifest.shards.length,
    files: manifest.files.length,
    bytes,
    merkleRoot: root,
    signerKeyId: manifest.signer.keyId,
    nodes: nodes.size,
    missingFiles: 0,
  };
}

async function readNodes(dir: string): Promise<Map<string, string>> {
  const bytes = await readOrFail(dir, SnapshotLayout.nodes);
  try {
    const { nodes } = JSON.parse(bytes.toString('utf8')) as {
      nodes: { nodeId: string; publicKeyPem: string }[];
    };
    return new Map(nodes.map((node) => [node.nodeId, node.publicKeyPem]));
  } catch {
    throw new SnapshotVerificationError(SnapshotLayout.nodes, 'not a list of node keys');
  }
}
