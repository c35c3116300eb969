import { createReadStream } from 'node:fs';
import path from 'node:path';
import { resultMessage, verifyMessage } from '@gleaner/core';
import { createHash } from 'node:crypto';
import { WARCParser, type WARCRecord } from 'warcio';
import { canonicalJson } from './canonical-json.js';
import { readFileLines } from './line-reader.js';
import type { MerkleTreeHash } from './merkle-tree-hash.js';
import { recordDigest } from './record-line.js';
import type { ManifestShard } from './snapshot-manifest.js';
import type { SnapshotRow } from './snapshot-record.js';
import { SnapshotVerificationError } from './verify-error.js';
import { parseWarcFields } from './warc-fields.js';
import { WarcMetadataField } from './warc-shard-writer.js';

const HEX_SHA256 = /^[0-9a-f]{64}$/;

function isRow(value: unknown): value is SnapshotRow {
  if (value === null || typeof value !== 'object') return false;
  const row = value as Partial<SnapshotRow>;
  const provenance = row.provenance;
  return (
    typeof row.id === 'string' &&
    typeof row.nodeId === 'string' &&
    typeof row.finalUrl === 'string' &&
    Number.isInteger(row.status) &&
    typeof row.bodySha256 === 'string' &&
    HEX_SHA256.test(row.bodySha256) &&
    typeof row.robots === 'string' &&
    provenance !== null &&
    typeof provenance === 'object' &&
    typeof provenance.jobId === 'string' &&
    Number.isInteger(provenance.attempt) &&
    Array.isArray(provenance.redirects) &&
    provenance.redirects.every((hop) => typeof hop === 'string') &&
    typeof provenance.signature === 'string'
  );
}

function warcUrl(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}

async function payloadSha256(record: WARCRecord): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of record.reader) hash.update(chunk);
  return hash.digest('hex');
}

/** What {@link verifyShard} needs besides the shard. */
export interface ShardContext {
  dir: string;
  /** Node public keys (SPKI PEM) from nodes.json, by node id. */
  nodes: ReadonlyMap<string, string>;
  /** Receives each record's digest, in order. */
  merkle: MerkleTreeHash;
  /** Called after each record. */
  onRecord: () => void;
}

/**
 * Checks one shard's records, reading its JSONL and WARC files side by side: each line is a record in canonical
 * JSON; the WARC holds its request, response and metadata records in the same order; the response payload's
 * SHA-256 is the record's `bodySha256` and its `WARC-Payload-Digest`; the metadata record names the record, its
 * line's digest and the same provenance; and the node's signature over `resultMessage(...)` verifies with the
 * node's key. Throws a {@link SnapshotVerificationError} at the first failure; resolves with the records checked.
 */
export async function verifyShard(shard: ManifestShard, context: ShardContext): Promise<number> {
  const lines = readFileLines(path.join(context.dir, shard.jsonl), true);
  const warcStream = createReadStream(path.join(context.dir, shard.warc));
  const warc = new WARCParser(warcStream)[Symbol.asyncIterator]();
  let lineNumber = 0;
  try {
    // The parser skips a record's unread content when it moves on: ask for a record only once the one before it
    // has been read.
    const nextWarc = async (): Promise<WARCRecord | null> => {
      try {
        for (;;) {
          const next = await warc.next();
          if (next.done) return null;
          if (next.value.warcType !== 'warcinfo') return next.value;
        }
      } catch (error) {
        throw new SnapshotVerificationError(shard.warc, `cannot be parsed: ${(error as Error).message}`);
      }
    };

    for await (const line of readLinesOf(lines, shard.jsonl)) {
      lineNumber++;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        throw new SnapshotVerificationError(shard.jsonl, 'not valid JSON', undefined, lineNumber);
      }
      if (!isRow(parsed))
        throw new SnapshotVerificationError(shard.jsonl, 'not a snapshot record', undefined, lineNumber);
      const row = parsed;
      const fail = (reason: string): SnapshotVerificationError =>
        new SnapshotVerificationError(shard.jsonl, reason, row.id, lineNumber);
      if (canonicalJson(row) !== line) throw fail('the line is not in canonical JSON form');
      const digest = recordDigest(line);

      const request = await nextWarc();
      if (request?.warcType !== 'request')
        throw fail(
          `${shard.warc} has ${request ? `a ${request.warcType}` : 'no'} record where its request belongs`,
        );
      const response = await nextWarc();
      if (response?.warcType !== 'response')
        throw fail(
          `${shard.warc} has ${response ? `a ${response.warcType}` : 'no'} record where its response belongs`,
        );
      if (response.warcTargetURI !== warcUrl(row.finalUrl))
        throw fail(`${shard.warc} response is for ${response.warcTargetURI}, not ${row.finalUrl}`);
      const bodySha256 = await payloadSha256(response);
      if (response.warcPayloadDigest !== `sha256:${bodySha256}`)
        throw fail(`${shard.warc} response payload does not match its WARC-Payload-Digest`);
      if (bodySha256 !== row.bodySha256)
        throw fail(`bodySha256 ${row.bodySha256} is not the SHA-256 of its WARC payload (${bodySha256})`);
      const metadata = await nextWarc();
      if (metadata?.warcType !== 'metadata')
        throw fail(
          `${shard.warc} has ${metadata ? `a ${metadata.warcType}` : 'no'} record where its metadata belongs`,
        );

      const fields = parseWarcFields(await metadata.contentText());
      const one = (name: string): string | undefined => fields.get(name.toLowerCase())?.[0];
      if (one(WarcMetadataField.recordId) !== row.id)
        throw fail(`${shard.warc} metadata record is for record ${one(WarcMetadataField.recordId)}`);
      if (one(WarcMetadataField.recordDigest) !== `sha256:${digest.toString('hex')}`)
        throw fail(`the record differs from the digest in its ${shard.warc} metadata record (edited?)`);
      const redirects = fields.get(WarcMetadataField.redirect.toLowerCase()) ?? [];
      if (
        one(WarcMetadataField.nodeId) !== row.nodeId ||
        one(WarcMetadataField.jobId) !== row.provenance.jobId ||
        one(WarcMetadataField.attempt) !== String(row.provenance.attempt) ||
        one(WarcMetadataField.signature) !== row.provenance.signature ||
        redirects.join('\n') !== row.provenance.redirects.join('\n')
      )
        throw fail(`its provenance differs from its ${shard.warc} metadata record`);

      const nodeKey = context.nodes.get(row.nodeId);
      if (!nodeKey) throw fail(`node ${row.nodeId} is not in nodes.json`);
      const message = resultMessage({
        jobId: row.provenance.jobId,
        attempt: row.provenance.attempt,
        redirects: row.provenance.redirects,
        finalUrl: row.finalUrl,
        status: row.status,
        bodySha256,
      });
      if (!verifyMessage(nodeKey, message, row.provenance.signature))
        throw fail(`the signature of node ${row.nodeId} does not verify`);

      context.merkle.add(digest);
      context.onRecord();
    }
    if (await nextWarc())
      throw new SnapshotVerificationError(shard.warc, 'holds records beyond the shard’s last record');
    return lineNumber;
  } finally {
    warcStream.destroy();
  }
}

/** The lines, with a gzip or read error turned into a failure naming the file. */
async function* readLinesOf(lines: AsyncGenerator<string>, file: string): AsyncGenerator<string> {
  try {
    yield* lines;
  } catch (error) {
    if (error instanceof SnapshotVerificationError) throw error;
    throw new SnapshotVerificationError(file, `cannot be read: ${(error as Error).message}`);
  }
}
