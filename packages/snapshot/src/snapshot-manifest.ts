import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import type { RecordFieldType } from './record-schema.js';

/** The manifest format this package writes and reads. */
export const MANIFEST_FORMAT = 'gleaner-snapshot/1';

/** One file of the snapshot, as the manifest lists it. */
export interface ManifestFile {
  /** Path inside the snapshot folder, with `/` separators. */
  path: string;
  bytes: number;
  /** Hex SHA-256 of the file's bytes. */
  sha256: string;
}

/** One shard: the same records in a Parquet file, a JSONL file and a WARC file. */
export interface ManifestShard {
  records: number;
  parquet: string;
  jsonl: string;
  warc: string;
}

/** The coordinator key that signed the manifest. */
export interface ManifestSigner {
  keyId: string;
  algorithm: 'ed25519';
  /** SPKI PEM. */
  publicKeyPem: string;
}

/** manifest.json. Its exact bytes are signed; the signature is manifest.sig (base64). */
export interface SnapshotManifest {
  format: typeof MANIFEST_FORMAT;
  snapshotId: string;
  datasetId: string;
  /** ISO 8601. */
  createdAt: string;
  previousSnapshotId: string | null;
  records: number;
  merkle: {
    /** RFC 6962 §2.1 Merkle Tree Hash over SHA-256. */
    construction: 'rfc6962-sha256';
    /** Each leaf's entry: the 32-byte SHA-256 of a record's JSONL line, in shard then line order. */
    leaf: 'sha256(jsonl-line)';
    /** Hex. */
    root: string;
  };
  recordSchema: { name: string; type: RecordFieldType; nullable: boolean }[];
  shards: ManifestShard[];
  /** Every file of the folder but manifest.json and manifest.sig, sorted by path. */
  files: ManifestFile[];
  signer: ManifestSigner;
}

/** The coordinator's signing key (`keyId` names it to the labs that pin it). */
export interface SnapshotSigner {
  keyId: string;
  /** Ed25519 private key, PKCS#8 PEM. */
  privateKeyPem: string;
}

/** The SPKI PEM public key of an Ed25519 private key (PEM); throws if the key is not Ed25519. */
export function signerPublicKey(privateKeyPem: string): string {
  const key = createPrivateKey(privateKeyPem);
  if (key.asymmetricKeyType !== 'ed25519') throw new TypeError('the snapshot signer key must be Ed25519');
  return createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
}

/** The bytes of manifest.json (two-space JSON and a final line break) and their signature (base64). */
export function serializeSignedManifest(
  manifest: SnapshotManifest,
  privateKeyPem: string,
): { manifest: Buffer; signature: string } {
  const bytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
  return {
    manifest: bytes,
    signature: sign(null, bytes, createPrivateKey(privateKeyPem)).toString('base64'),
  };
}
