import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { parseCampaignSpec, type Snapshot } from '@gleaner/contracts';
import { buildSnapshot, SnapshotLayout } from '@gleaner/snapshot';
import { makeTestRecords } from '@gleaner/snapshot/test-records';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './api-test-harness.js';

type Detail = Snapshot & {
  files: { path: string; bytes: number; sha256: string; raw: boolean }[];
  rawAccess: boolean;
};

describe('snapshot routes', () => {
  let h: ApiHarness;
  let datasetId: string;
  let otherDatasetId: string;
  let key: string;
  let rawKey: string;
  let published: Snapshot;
  const lab = (path: string, headers: Record<string, string> = {}, token = key) =>
    h.call('GET', path, { token, headers });

  beforeAll(async () => {
    h = await startApiHarness();
    const spec = parseCampaignSpec({ seeds: ['https://example.com/'] });
    datasetId = (await h.deps.campaigns.create('snapshots', spec)).datasetId;
    otherDatasetId = (await h.deps.campaigns.create('other', spec)).datasetId;
    key = (await h.deps.accounts.createApiKey('lab', ['datasets:read'])).key;
    rawKey = (await h.deps.accounts.createApiKey('raw lab', ['datasets:read', 'raw:read'])).key;

    // A snapshot the worker would have built: its row, and its folder where the coordinator serves it from.
    const row = await h.deps.snapshots.request(datasetId, 'manual');
    const set = makeTestRecords({ count: 8, datasetId });
    const summary = await buildSnapshot(set.records, {
      dir: join(h.deps.snapshotDir, datasetId, row.id),
      snapshotId: row.id,
      datasetId,
      nodeKeys: set.nodeKeys,
      signer: set.signer,
    });
    const manifest = await readFile(join(h.deps.snapshotDir, datasetId, row.id, SnapshotLayout.manifest));
    await h.deps.snapshots.markPublished(row.id, {
      records: summary.records,
      bytes: summary.bytes,
      shards: summary.shards,
      merkleRoot: summary.merkleRoot,
      manifestSha256: createHash('sha256').update(manifest).digest('hex'),
      changes: { ...summary.changes },
    });
    published = (await (await lab(`/v1/datasets/${datasetId}/snapshots/${row.id}`)).json()) as Snapshot;
  }, 60_000);

  afterAll(async () => {
    await h.close();
  });

  it('lets an admin cut a snapshot, which is queued for the worker; labs may not', async () => {
    const denied = await h.call('POST', `/v1/datasets/${datasetId}/snapshots`, { token: key });
    expect(denied.status).toBe(401);
    const unknown = await h.call('POST', '/v1/datasets/ds_none/snapshots', { token: h.adminToken });
    expect(unknown.status).toBe(404);
    const res = await h.call('POST', `/v1/datasets/${datasetId}/snapshots`, { token: h.adminToken });
    expect(res.status).toBe(202);
    const body = (await res.json()) as Snapshot;
    expect(body).toMatchObject({ datasetId, state: 'building', trigger: 'manual', records: null });
    const job = await h.deps.queues.snapshot.getJob(`snapshot-${body.id}`);
    expect(job?.data).toEqual({ kind: 'build', snapshotId: body.id });
    const list = (await (await lab(`/v1/datasets/${datasetId}/snapshots`)).json()) as {
      snapshots: Snapshot[];
    };
    expect(list.snapshots.map((s) => s.id)).toEqual([body.id, published.id]);
  });

  it('names the latest published snapshot with every file, its size and SHA-256', async () => {
    const res = await lab(`/v1/datasets/${datasetId}/snapshots/latest`);
    expect(res.status).toBe(200);
    const detail = (await res.json()) as Detail;
    expect(detail).toMatchObject({ id: published.id, state: 'published', records: 8 });
    const paths = detail.files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining(['manifest.json', 'manifest.sig', 'README.md', 'nodes.json']),
    );
    expect(paths.some((p) => p.endsWith('.parquet'))).toBe(true);
    for (const file of detail.files) {
      const bytes = await readFile(join(h.deps.snapshotDir, datasetId, published.id, file.path));
      expect({
        path: file.path,
        bytes: bytes.length,
        sha256: sha256(bytes),
        raw: file.path.startsWith('warc/'),
      }).toEqual(file);
    }
    expect(detail.bytes).toBe(detail.files.reduce((sum, f) => sum + f.bytes, 0));
    expect((await lab(`/v1/datasets/${otherDatasetId}/snapshots/latest`)).status).toBe(404);
    expect((await lab(`/v1/datasets/${otherDatasetId}/snapshots/${published.id}`)).status).toBe(404);
  });

  it('serves a file whole or from a byte range, and refuses a range past its end', async () => {
    const detail = (await (
      await lab(`/v1/datasets/${datasetId}/snapshots/${published.id}`)
    ).json()) as Detail;
    const parquet = detail.files.find((f) => f.path.endsWith('.parquet'))!;
    const url = `/v1/datasets/${datasetId}/snapshots/${published.id}/files/${parquet.path}`;
    const whole = await lab(url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('etag')).toBe(`"${parquet.sha256}"`);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    const bytes = Buffer.from(await whole.arrayBuffer());
    expect(sha256(bytes)).toBe(parquet.sha256);

    const tail = await lab(url, { range: 'bytes=100-' });
    expect(tail.status).toBe(206);
    expect(tail.headers.get('content-range')).toBe(`bytes 100-${parquet.bytes - 1}/${parquet.bytes}`);
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(bytes.subarray(100));
    const middle = await lab(url, { range: 'bytes=10-19' });
    expect(Buffer.from(await middle.arrayBuffer())).toEqual(bytes.subarray(10, 20));
    const stale = await lab(url, { range: 'bytes=100-', 'if-range': '"another-file"' });
    expect(stale.status).toBe(200);
    const past = await lab(url, { range: `bytes=${parquet.bytes}-` });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${parquet.bytes}`);
  });

  it('serves only listed files, WARC files only to keys that may read raw responses', async () => {
    const base = `/v1/datasets/${datasetId}/snapshots/${published.id}/files`;
    expect((await lab(`${base}/manifest.json`)).status).toBe(200);
    for (const path of [
      '.work/x',
      '..%2F..%2Fetc%2Fpasswd',
      'data%2F..%2Fmanifest.json',
      'nope.txt',
      '%E0%A4%A',
    ])
      expect([400, 404]).toContain((await lab(`${base}/${path}`)).status);
    const detail = (await (
      await lab(`/v1/datasets/${datasetId}/snapshots/${published.id}`)
    ).json()) as Detail;
    const warc = detail.files.find((f) => f.path.endsWith('.warc.gz'))!;
    const index = detail.files.find((f) => f.path.endsWith('.cdxj'))!;
    // The listing marks both raw files, and says this key may not read them.
    expect([warc.raw, index.raw, detail.rawAccess]).toEqual([true, true, false]);
    expect(detail.files.filter((f) => f.raw).every((f) => f.path.startsWith('warc/'))).toBe(true);
    expect((await lab(`${base}/${warc.path}`)).status).toBe(403);
    expect((await lab(`${base}/${index.path}`)).status).toBe(403);
    const forRaw = (await (
      await lab(`/v1/datasets/${datasetId}/snapshots/${published.id}`, {}, rawKey)
    ).json()) as Detail;
    expect(forRaw.rawAccess).toBe(true);
    const allowed = await lab(`${base}/${warc.path}`, {}, rawKey);
    expect(allowed.status).toBe(200);
    expect(sha256(Buffer.from(await allowed.arrayBuffer()))).toBe(warc.sha256);
    expect((await h.call('GET', `${base}/manifest.json`)).status).toBe(401);
  });

  it('gives a feed cursor that continues right after the snapshot', async () => {
    const res = await lab(`/v1/datasets/${datasetId}/records?cursor=${published.feedCursor}`);
    expect(res.status).toBe(200);
  });
});

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
