import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalBlobStore, rawBodyKey } from '@gleaner/blob-store';
import { ensureSigningKeyFile, type SigningKey } from '@gleaner/config';
import { generateNodeKeyPair, resultMessage, sha256Hex, signMessage, type NodeKeyPair } from '@gleaner/core';
import {
  AccountStore,
  CampaignStore,
  DatasetStore,
  openDatabase,
  RecordStore,
  SnapshotStore,
  startEmbeddedPostgres,
  UrlStore,
  type CampaignRow,
  type Database,
  type EmbeddedPostgres,
} from '@gleaner/db';
import { GleanerQueues, openRedis, startEmbeddedRedis, type EmbeddedRedis, type Redis } from '@gleaner/queue';
import { SnapshotLayout, verifySnapshot } from '@gleaner/snapshot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotFolder, SnapshotPublisher } from './snapshot-publisher.js';
import { SnapshotSchedule } from './snapshot-schedule.js';

describe('snapshot publisher', () => {
  let postgres: EmbeddedPostgres;
  let database: Database;
  let redisServer: EmbeddedRedis;
  let redis: Redis;
  let queues: GleanerQueues;
  let dir: string;
  let key: SigningKey;
  let blobs: LocalBlobStore;
  let snapshots: SnapshotStore;
  let records: RecordStore;
  let publisher: SnapshotPublisher;
  let campaign: CampaignRow;
  let node: { id: string; ownerId: string; keys: NodeKeyPair };
  const published: string[] = [];
  let page = 0;

  beforeAll(async () => {
    postgres = await startEmbeddedPostgres({ dataDir: 'memory://' });
    database = openDatabase({ url: postgres.url, maxConnections: 4 });
    dir = await mkdtemp(join(tmpdir(), 'gleaner-snapshots-'));
    redisServer = await startEmbeddedRedis({ dataDir: join(dir, 'redis') });
    redis = openRedis(redisServer.url);
    queues = new GleanerQueues({ connection: redis, prefix: `test-${randomUUID()}` });
    key = ensureSigningKeyFile(join(dir, 'signing-key.pem'));
    blobs = new LocalBlobStore(join(dir, 'blobs'));
    const { db } = database;
    snapshots = new SnapshotStore(db);
    records = new RecordStore(db);
    const accounts = new AccountStore(db);
    const campaigns = new CampaignStore(db);
    campaign = await campaigns.create('snapshots', {
      seeds: ['https://example.com/'],
      scope: { mode: 'same-host', hosts: [] },
      maxPages: 100,
      maxDepth: 1,
      render: 'never',
      snapshots: { afterEachRound: true, license: 'cc-by-4.0' },
    } as unknown as CampaignRow['spec']);
    const { owner } = await accounts.createOwner('ada');
    const keys = generateNodeKeyPair();
    node = { id: (await accounts.createNode(owner.id, keys.publicKeyPem, 'a1')).id, ownerId: owner.id, keys };
    publisher = new SnapshotPublisher({
      snapshots,
      datasets: new DatasetStore(db),
      campaigns,
      accounts,
      blobs,
      queues,
      dir: join(dir, 'published'),
      signer: key,
      onPublished: async (row) => void published.push(row.id),
    });
  });

  afterAll(async () => {
    await queues.close();
    redis.disconnect();
    await redisServer.stop();
    await database.close();
    await postgres.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** Accepts a signed page as the pipeline would: its raw body in the blob store, its record and provenance. */
  async function addPage(): Promise<string> {
    const n = page++;
    const url = `https://example.com/page/${n}`;
    const body = Buffer.from(
      `<html><head><title>Page ${n}</title></head><body><p>Words of page ${n}.</p></body></html>`,
    );
    const bodySha256 = sha256Hex(body);
    await blobs.put(rawBodyKey(bodySha256), body);
    const [row] = await new UrlStore(database.db).admit(campaign.id, [
      { url, urlHash: sha256Hex(url), host: 'example.com', depth: 0 },
    ]);
    const jobId = `job-${n}`;
    const signature = signMessage(
      node.keys.privateKeyPem,
      resultMessage({ jobId, attempt: 1, redirects: [], finalUrl: url, status: 200, bodySha256 }),
    );
    const text = `Words of page ${n}.`;
    const outcome = await records.accept({
      datasetId: campaign.datasetId,
      campaignId: campaign.id,
      urlId: row!.id,
      url,
      finalUrl: url,
      host: 'example.com',
      status: 200,
      contentType: 'text/html',
      fetchedAt: new Date(),
      nodeId: node.id,
      ownerId: node.ownerId,
      bodySha256,
      blobKey: rawBodyKey(bodySha256),
      provenance: { jobId, attempt: 1, redirects: [], signature },
      httpHeaders: { 'content-type': 'text/html' },
      title: `Page ${n}`,
      text,
      markdown: text,
      language: 'en',
      textHash: sha256Hex(text),
      metadata: null,
      robots: 'allowed',
    });
    if (outcome.kind !== 'accepted') throw new Error(`page ${n} not accepted: ${outcome.kind}`);
    return outcome.recordId;
  }

  it('publishes exactly the records committed before the request, verifiable offline with the coordinator key', async () => {
    const ids = [await addPage(), await addPage(), await addPage()];
    const requested = await snapshots.request(campaign.datasetId, 'manual');
    await addPage(); // after the request: not in this snapshot
    expect(await publisher.build(requested.id)).toEqual({ state: 'published', records: 3 });
    const row = (await snapshots.get(requested.id))!;
    expect(row).toMatchObject({ state: 'published', records: 3, previousId: null });
    const folder = snapshotFolder(join(dir, 'published'), campaign.datasetId, requested.id);
    const verified = await verifySnapshot(folder, { signerPublicKeyPem: key.publicKeyPem });
    expect(verified).toMatchObject({ ok: true, records: 3, merkleRoot: row.merkleRoot });
    const manifest = await readFile(join(folder, SnapshotLayout.manifest));
    expect(row.manifestSha256).toBe(sha256Hex(manifest));
    expect(await readFile(join(folder, SnapshotLayout.card), 'utf8')).toMatch(/^license: "?cc-by-4.0"?$/m);
    const lines = (
      await readFile(join(folder, 'data/train-00000-of-00001.jsonl.gz')).then((b) =>
        import('node:zlib').then((z) => z.gunzipSync(b).toString('utf8')),
      )
    )
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: string; robots: string });
    expect(lines.map((l) => l.id)).toEqual(ids);
    expect(lines.every((l) => l.robots === 'allowed')).toBe(true);
    expect(published).toEqual([requested.id]);
    // Built again (a retried job), nothing changes and nothing is announced twice.
    expect(await publisher.build(requested.id)).toEqual({ state: 'published' });
    expect(published).toEqual([requested.id]);
  });

  it('lists what changed since the previous snapshot: added pages and withdrawn records', async () => {
    const [first] = await snapshots.list(campaign.datasetId);
    const firstIds = (await snapshots.recordsOf(first!, 0, 100)).map((r) => r.id);
    await records.withdrawRecords([firstIds[0]!], 'removal request');
    const next = await snapshots.request(campaign.datasetId, 'manual');
    await publisher.build(next.id);
    const row = (await snapshots.get(next.id))!;
    expect(row.previousId).toBe(first!.id);
    expect(row.changes).toMatchObject({ added: 1, unchanged: 2, withdrawn: 1, removed: 0 });
    const folder = snapshotFolder(join(dir, 'published'), campaign.datasetId, next.id);
    const changes = JSON.parse(await readFile(join(folder, SnapshotLayout.changes), 'utf8')) as {
      withdrawn: string[];
    };
    expect(changes.withdrawn).toEqual([firstIds[0]]);
    expect(await verifySnapshot(folder, { signerPublicKeyPem: key.publicKeyPem })).toMatchObject({
      ok: true,
      records: 3,
    });
  });

  it('starts over after a build was killed half-way, and only records a build killed after publishing', async () => {
    const killed = await snapshots.request(campaign.datasetId, 'manual');
    const folder = snapshotFolder(join(dir, 'published'), campaign.datasetId, killed.id);
    await mkdir(`${folder}.partial/data`, { recursive: true });
    await writeFile(`${folder}.partial/data/train-00000-of-00001.parquet`, 'half a file');
    expect(await publisher.build(killed.id)).toEqual({ state: 'published', records: 3 });
    expect(await verifySnapshot(folder)).toMatchObject({ ok: true });

    // Published on disk, but the worker died before the row said so: the next run only records it.
    const late = await snapshots.request(campaign.datasetId, 'manual');
    const before = { ...(await snapshots.get(killed.id))! };
    const lateFolder = snapshotFolder(join(dir, 'published'), campaign.datasetId, late.id);
    await publisher.build(late.id);
    await database.pool.query(`update snapshots set state = 'building', published_at = null where id = $1`, [
      late.id,
    ]);
    const manifestBefore = await readFile(join(lateFolder, SnapshotLayout.manifest));
    expect(await publisher.build(late.id)).toEqual({ state: 'published', records: 3 });
    expect(await readFile(join(lateFolder, SnapshotLayout.manifest))).toEqual(manifestBefore);
    expect((await snapshots.get(late.id))!.manifestSha256).toBe(sha256Hex(manifestBefore));
    expect(await snapshots.get(killed.id)).toEqual(before);
  });

  it('fails clearly without a signing key, and the schedule cuts round snapshots and requeues lost builds', async () => {
    const unsigned = new SnapshotPublisher({ ...publisherOptions(), signer: undefined });
    const row = await snapshots.request(campaign.datasetId, 'manual');
    await expect(unsigned.build(row.id)).rejects.toThrow(/signing key/);

    const schedule = new SnapshotSchedule({ snapshots, campaigns: new CampaignStore(database.db), queues });
    const cut = await schedule.roundCompleted(campaign);
    expect(cut).toMatchObject({ trigger: 'round', state: 'building' });
    await queues.snapshot.obliterate({ force: true });
    await schedule.sweep();
    const waiting = await queues.snapshot.getJobs(['waiting']);
    expect(waiting.map((job) => job.data)).toEqual(
      expect.arrayContaining([
        { kind: 'build', snapshotId: row.id },
        { kind: 'build', snapshotId: cut!.id },
      ]),
    );
  });

  function publisherOptions() {
    const { db } = database;
    return {
      snapshots,
      datasets: new DatasetStore(db),
      campaigns: new CampaignStore(db),
      accounts: new AccountStore(db),
      blobs,
      queues,
      dir: join(dir, 'published'),
      signer: key,
    };
  }
});
