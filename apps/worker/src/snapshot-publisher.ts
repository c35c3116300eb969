import { access, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ConflictError, sha256Hex, silentLogger, type Logger } from '@gleaner/core';
import type { BlobStore } from '@gleaner/blob-store';
import type {
  AccountStore,
  CampaignStore,
  DatasetStore,
  PublishedSnapshot,
  SnapshotRow,
  SnapshotSourceRecord,
  SnapshotStore,
} from '@gleaner/db';
import type { GleanerQueues } from '@gleaner/queue';
import {
  buildSnapshot,
  readSnapshotRecordIndex,
  SnapshotLayout,
  type JsonValue,
  type SnapshotManifest,
  type SnapshotRecord,
  type SnapshotSigner,
} from '@gleaner/snapshot';

/** Collaborators and settings of the {@link SnapshotPublisher}. */
export interface SnapshotPublisherOptions {
  snapshots: SnapshotStore;
  datasets: DatasetStore;
  campaigns: CampaignStore;
  accounts: AccountStore;
  blobs: BlobStore;
  queues: GleanerQueues;
  /** The folder snapshots are published in, as `<dir>/<datasetId>/<snapshotId>`; the coordinator serves it. */
  dir: string;
  /** The coordinator's key that signs each manifest; without it snapshots cannot be published. */
  signer: SnapshotSigner | undefined;
  /** Records per shard at most (default the builder's). */
  shardRecords?: number;
  /** Called once a snapshot is published (for example to announce it). */
  onPublished?: (snapshot: SnapshotRow) => Promise<void>;
  logger?: Logger;
}

/** Records read from the database at a time. */
const PAGE = 500;

/** Where a dataset's snapshot lives under the snapshots folder. */
export function snapshotFolder(dir: string, datasetId: string, snapshotId: string): string {
  return path.join(dir, datasetId, snapshotId);
}

/**
 * The `snapshot` queue's work: builds a requested snapshot from the records it holds (fixed when it was requested),
 * publishes the folder with one atomic rename, then records it as published. A build killed half-way starts over
 * (the builder discards its partial folder); one killed after the rename finds the folder and only records it.
 */
export class SnapshotPublisher {
  private readonly logger: Logger;

  constructor(private readonly options: SnapshotPublisherOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  /** Builds and publishes one snapshot; a snapshot already published or failed is left as it is. */
  async build(
    snapshotId: string,
    onProgress?: (records: number) => void,
  ): Promise<{ state: string; records?: number }> {
    const { snapshots } = this.options;
    const snapshot = await snapshots.get(snapshotId);
    if (!snapshot) return { state: 'unknown' };
    if (snapshot.state !== 'building') return { state: snapshot.state };
    const signer = this.options.signer;
    if (!signer)
      throw new ConflictError('snapshots need the coordinator signing key (GLEANER_SIGNING_KEY_FILE)');
    const dir = snapshotFolder(this.options.dir, snapshot.datasetId, snapshot.id);
    const published = (await exists(path.join(dir, SnapshotLayout.manifest)))
      ? await this.readPublished(dir)
      : await this.buildInto(dir, snapshot, signer, onProgress);
    if (await snapshots.markPublished(snapshot.id, published)) {
      this.logger.info(
        { datasetId: snapshot.datasetId, snapshotId: snapshot.id, records: published.records },
        'snapshot published',
      );
      const row = await snapshots.get(snapshot.id);
      if (row) await this.options.onPublished?.(row);
    }
    return { state: 'published', records: published.records };
  }

  /** Queues the build of every snapshot still building: those whose job was lost before it was queued. */
  async requeueBuilding(datasetIds: readonly string[]): Promise<number> {
    let queued = 0;
    for (const datasetId of datasetIds) {
      for (const row of await this.options.snapshots.list(datasetId)) {
        if (row.state !== 'building') continue;
        await this.options.queues.buildSnapshot(row.id);
        queued++;
      }
    }
    return queued;
  }

  private async buildInto(
    dir: string,
    snapshot: SnapshotRow,
    signer: SnapshotSigner,
    onProgress?: (records: number) => void,
  ): Promise<PublishedSnapshot> {
    const { snapshots, datasets, campaigns } = this.options;
    const candidate = await snapshots.latestPublished(snapshot.datasetId, snapshot);
    const previousId = await snapshots.choosePrevious(snapshot.id, candidate?.id ?? null);
    const previous = previousId ? await snapshots.get(previousId) : undefined;
    const dataset = await datasets.get(snapshot.datasetId);
    const campaign = dataset ? await campaigns.get(dataset.campaignId) : undefined;
    const card = campaign?.spec.snapshots;
    const summary = await buildSnapshot(this.recordsOf(snapshot), {
      dir,
      snapshotId: snapshot.id,
      datasetId: snapshot.datasetId,
      nodeKeys: await this.nodeKeys(),
      signer,
      ...(previous
        ? {
            previous: {
              snapshotId: previous.id,
              records: readSnapshotRecordIndex(
                snapshotFolder(this.options.dir, previous.datasetId, previous.id),
              ),
            },
          }
        : {}),
      withdrawnIds: await snapshots.withdrawnIds(snapshot),
      card: {
        prettyName: dataset?.name ?? snapshot.datasetId,
        ...(card?.license ? { license: card.license } : {}),
        ...(card?.description ? { description: card.description } : {}),
      },
      ...(this.options.shardRecords ? { shardRecords: this.options.shardRecords } : {}),
      createdAt: snapshot.requestedAt,
      ...(onProgress ? { onProgress } : {}),
    });
    return {
      records: summary.records,
      bytes: summary.bytes,
      shards: summary.shards,
      merkleRoot: summary.merkleRoot,
      manifestSha256: sha256Hex(await readFile(path.join(dir, SnapshotLayout.manifest))),
      changes: { ...summary.changes },
    };
  }

  /** What a folder published by an earlier, interrupted run holds, from its manifest. */
  private async readPublished(dir: string): Promise<PublishedSnapshot> {
    const file = path.join(dir, SnapshotLayout.manifest);
    const manifestBytes = await readFile(file);
    const manifest = JSON.parse(manifestBytes.toString('utf8')) as SnapshotManifest;
    const changes = JSON.parse(await readFile(path.join(dir, SnapshotLayout.changes), 'utf8')) as {
      counts: Record<string, number>;
    };
    const own = manifestBytes.length + (await stat(path.join(dir, SnapshotLayout.signature))).size;
    return {
      records: manifest.records,
      bytes: manifest.files.reduce((sum, f) => sum + f.bytes, own),
      shards: manifest.shards.length,
      merkleRoot: manifest.merkle.root,
      manifestSha256: sha256Hex(manifestBytes),
      changes: changes.counts,
    };
  }

  /** Every node's public key (nodes.json carries those of the nodes the records name). */
  private async nodeKeys(): Promise<Map<string, string>> {
    const keys = new Map<string, string>();
    let after: string | undefined;
    for (;;) {
      const page = await this.options.accounts.listNodeKeys(1000, after);
      for (const key of page) keys.set(key.nodeId, key.publicKey);
      if (page.length < 1000) return keys;
      after = page.at(-1)!.nodeId;
    }
  }

  private async *recordsOf(snapshot: SnapshotRow): AsyncGenerator<SnapshotRecord> {
    let afterSeq = 0;
    let unsigned = 0;
    for (;;) {
      const rows = await this.options.snapshots.recordsOf(snapshot, afterSeq, PAGE);
      for (const row of rows) {
        const record = this.toSnapshotRecord(row);
        if (record) yield record;
        else unsigned++;
      }
      if (rows.length < PAGE) break;
      afterSeq = rows.at(-1)!.seq;
    }
    if (unsigned > 0)
      this.logger.warn(
        { snapshotId: snapshot.id, unsigned },
        'records without a stored node signature left out of the snapshot',
      );
  }

  /** A stored record as the builder takes it; undefined for a record kept before signatures were stored. */
  private toSnapshotRecord(row: SnapshotSourceRecord): SnapshotRecord | undefined {
    const provenance = row.provenance;
    if (!provenance?.signature || !provenance.jobId || provenance.attempt === null) return undefined;
    const blobs = this.options.blobs;
    return {
      id: row.id,
      datasetId: row.datasetId,
      campaignId: row.campaignId,
      url: row.url,
      finalUrl: row.finalUrl,
      host: row.host,
      status: row.status,
      contentType: row.contentType,
      fetchedAt: row.fetchedAt.toISOString(),
      title: row.title,
      text: row.text,
      markdown: row.markdown,
      language: row.language,
      textHash: row.textHash,
      textBytes: row.textBytes,
      metadata: (row.metadata ?? null) as JsonValue,
      quality: (row.quality ?? null) as JsonValue,
      fields: (row.fields ?? null) as JsonValue,
      fieldErrors: (row.fieldErrors ?? null) as JsonValue,
      round: row.round,
      version: row.version,
      nodeId: row.nodeId,
      bodySha256: row.bodySha256,
      provenance: {
        jobId: provenance.jobId,
        attempt: provenance.attempt,
        redirects: provenance.redirects,
        signature: provenance.signature,
      },
      robots: row.robots ?? 'unrecorded',
      siteSignals: (row.siteSignals ?? null) as JsonValue,
      ...(row.httpHeaders ? { httpHeaders: row.httpHeaders } : {}),
      rawBody: () => blobs.get(row.blobKey),
    };
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
