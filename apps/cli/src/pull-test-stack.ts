import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CoordinatorService, loadCoordinatorConfig } from '@gleaner/coordinator';
import { parseCampaignSpec } from '@gleaner/contracts';
import { generateNodeKeyPair, resultMessage, sha256Hex, signMessage } from '@gleaner/core';
import {
  AccountStore,
  CampaignStore,
  openDatabase,
  SnapshotStore,
  startEmbeddedPostgres,
  type Database,
  type SnapshotRow,
} from '@gleaner/db';
import { startEmbeddedRedis } from '@gleaner/queue';
import { buildSnapshot, SnapshotLayout, type SnapshotRecord } from '@gleaner/snapshot';

/**
 * The real coordinator (CoordinatorService: REST API on a loopback HTTP server) over PGlite and a private
 * redis-server, with a helper that publishes a snapshot of signed records into its snapshot folder the way the
 * worker does (row requested, folder built by `buildSnapshot`, row marked published). For `gleaner pull` tests.
 */
export interface PullTestStack {
  url: string;
  adminToken: string;
  db: Database;
  datasetId: string;
  /** A `datasets:read` key, and one with `raw:read` too (the WARC files need it). */
  readKey: string;
  rawKey: string;
  /** The coordinator's blob folder (raw bodies, for `LocalBlobStore`). */
  blobDir: string;
  /** The coordinator's public key (SPKI PEM) that signs the manifests. */
  signerPublicKeyPem: string;
  /** Publishes a snapshot of `records` records whose raw bodies are `bodyBytes` random bytes each. */
  publish(options: { records: number; bodyBytes: number; shardRecords?: number }): Promise<SnapshotRow>;
  close(): Promise<void>;
}

/** Starts a {@link PullTestStack}. */
export async function startPullTestStack(): Promise<PullTestStack> {
  const dir = await mkdtemp(path.join(tmpdir(), 'gleaner-pull-test-'));
  const postgres = await startEmbeddedPostgres({ dataDir: 'memory://' });
  const redis = await startEmbeddedRedis({ dataDir: path.join(dir, 'redis') });
  const signer = generateNodeKeyPair();
  const adminToken = `adm_${randomUUID()}`;
  const snapshotDir = path.join(dir, 'snapshots');
  const coordinator = new CoordinatorService(
    loadCoordinatorConfig({
      DATABASE_URL: postgres.url,
      REDIS_URL: redis.url,
      GLEANER_ADMIN_TOKEN: adminToken,
      GLEANER_BLOB_DIR: path.join(dir, 'blobs'),
      GLEANER_SNAPSHOT_DIR: snapshotDir,
      GLEANER_PORT: '0',
      GLEANER_QUEUE_PREFIX: `test-${randomUUID()}`,
      GLEANER_SIGNING_KEY: signer.privateKeyPem,
    }),
  );
  const url = await coordinator.start();
  const db = openDatabase({ url: postgres.url, maxConnections: 2 });
  const accounts = new AccountStore(db.db);
  const snapshots = new SnapshotStore(db.db);
  const campaign = await new CampaignStore(db.db).create(
    'pull test',
    parseCampaignSpec({ seeds: ['https://example.com/'] }),
  );
  const readKey = (await accounts.createApiKey('lab', ['datasets:read'])).key;
  const rawKey = (await accounts.createApiKey('raw lab', ['datasets:read', 'raw:read'])).key;
  const node = generateNodeKeyPair();
  let published = 0;
  return {
    url,
    adminToken,
    db,
    datasetId: campaign.datasetId,
    readKey,
    rawKey,
    blobDir: path.join(dir, 'blobs'),
    signerPublicKeyPem: signer.publicKeyPem,
    async publish({ records, bodyBytes, shardRecords }) {
      const row = await snapshots.request(campaign.datasetId, 'manual');
      const batch = published++;
      const list: SnapshotRecord[] = [];
      for (let n = 0; n < records; n++) {
        const body = randomBytes(bodyBytes);
        const bodySha256 = sha256Hex(body);
        const finalUrl = `https://example.com/${batch}/${n}`;
        const jobId = `job-${batch}-${n}`;
        const signature = signMessage(
          node.privateKeyPem,
          resultMessage({ jobId, attempt: 1, redirects: [], finalUrl, status: 200, bodySha256 }),
        );
        const text = `Text of page ${n} of batch ${batch}. ${body.toString('base64').slice(0, 200)}`;
        list.push({
          id: `rec_${batch}_${n}`,
          datasetId: campaign.datasetId,
          campaignId: campaign.id,
          url: finalUrl,
          finalUrl,
          host: 'example.com',
          status: 200,
          contentType: 'application/octet-stream',
          fetchedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
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
          nodeId: 'nod_test',
          bodySha256,
          provenance: { jobId, attempt: 1, redirects: [], signature },
          robots: 'allowed',
          httpHeaders: { 'content-type': 'application/octet-stream' },
          rawBody: () => Promise.resolve(body),
        });
      }
      const summary = await buildSnapshot(list, {
        dir: path.join(snapshotDir, campaign.datasetId, row.id),
        snapshotId: row.id,
        datasetId: campaign.datasetId,
        nodeKeys: new Map([['nod_test', node.publicKeyPem]]),
        signer: { keyId: 'coordinator-test', privateKeyPem: signer.privateKeyPem },
        ...(shardRecords ? { shardRecords } : {}),
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
      return (await snapshots.get(row.id))!;
    },
    async close() {
      await coordinator.stop();
      await db.close();
      await redis.stop();
      await postgres.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
