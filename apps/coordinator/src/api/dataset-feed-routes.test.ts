import { execFileSync } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import { parseCampaignSpec, type FeedLine } from '@gleaner/contracts';
import { encodeCursor, records } from '@gleaner/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './api-test-harness.js';

const ENGLISH_PROSE = { wordCount: 300, lineEndPunctuationRatio: 0.9 };
const LINK_LIST = { wordCount: 40, lineEndPunctuationRatio: 0.1 };

describe('dataset feed routes', () => {
  let h: ApiHarness;
  let key: string;
  let rawKey: string;
  let nextUrlId = 1;
  const newDataset = async (name: string) =>
    (await h.deps.campaigns.create(name, parseCampaignSpec({ seeds: ['https://example.com/'] }))).datasetId;

  /** A record row as the pipeline writes it; `extra` overrides any column. */
  function recordRow(datasetId: string, n: number, extra: Partial<typeof records.$inferInsert> = {}) {
    const urlId = nextUrlId++;
    return {
      id: `rec_${datasetId}_${n}`,
      datasetId,
      campaignId: 'cmp_test',
      urlId,
      url: `https://example.com/${n}`,
      finalUrl: `https://example.com/${n}`,
      host: 'example.com',
      status: 200,
      contentType: 'text/html; charset=utf-8',
      fetchedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, n)),
      nodeId: 'nod_1',
      ownerId: 'own_1',
      bodySha256: 'a'.repeat(64),
      blobKey: `raw/test/${urlId}`,
      title: `Page ${n}`,
      text: `text ${n}`,
      markdown: `# Page ${n}`,
      language: 'en',
      textHash: `hash-${urlId}`,
      textBytes: 10,
      metadata: { n },
      quality: ENGLISH_PROSE,
      ...extra,
    };
  }

  async function read(
    datasetId: string,
    query: Record<string, string> = {},
    headers: Record<string, string> = {},
  ) {
    const res = await h.call('GET', `/v1/datasets/${datasetId}/records?${new URLSearchParams(query)}`, {
      token: key,
      headers,
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    const lines =
      text === ''
        ? []
        : text
            .trimEnd()
            .split('\n')
            .map((line) => JSON.parse(line) as FeedLine);
    return { lines, next: res.headers.get('gleaner-next-cursor')!, res };
  }
  const ids = (lines: FeedLine[]) => lines.map((line) => line.id);

  beforeAll(async () => {
    h = await startApiHarness();
    key = (await h.deps.accounts.createApiKey('lab', ['datasets:read'])).key;
    rawKey = (await h.deps.accounts.createApiKey('raw lab', ['datasets:read', 'raw:read'])).key;
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers 400 for every cursor it did not hand out, however well-formed its base64url', async () => {
    const id = await newDataset('cursors');
    const b64 = (text: string) => Buffer.from(text).toString('base64url');
    const bad = [
      b64('9999999999999999999.1'),
      b64('9223372036854775808.0'),
      b64('1.9007199254740993'),
      b64('1.99999999999999999'),
      b64('01.2'),
      b64('1.02'),
      b64('-1.2'),
      b64('1.2 '),
      b64('1.2.3'),
      b64(''),
      'MS4yMx', // '1.23' with other trailing bits: the same bytes, another spelling
      `${Buffer.from('12.3').toString('base64')}=`,
      'not-a-cursor',
      '!!!!',
      'a'.repeat(201),
    ];
    for (const cursor of bad) {
      const res = await h.call('GET', `/v1/datasets/${id}/records?cursor=${encodeURIComponent(cursor)}`, {
        token: key,
      });
      expect(res.status, cursor).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST');
    }
    const last = encodeCursor({ txid: 9_223_372_036_854_775_807n, seq: Number.MAX_SAFE_INTEGER });
    expect((await read(id, { cursor: last })).lines).toEqual([]);
  });

  it('filters by language, host, quality, fetch time and round', async () => {
    const id = await newDataset('filters');
    await h.database.db
      .insert(records)
      .values([
        recordRow(id, 1),
        recordRow(id, 2, { language: 'en-GB', host: 'b.example.com' }),
        recordRow(id, 3, { language: 'de', quality: LINK_LIST }),
        recordRow(id, 4, { language: null, quality: null, round: 1 }),
        recordRow(id, 5, { language: 'eng', round: 1 }),
      ]);
    const rec = (n: number) => `rec_${id}_${n}`;
    expect(ids((await read(id)).lines)).toEqual([1, 2, 3, 4, 5].map(rec));
    expect(ids((await read(id, { language: 'en' })).lines)).toEqual([rec(1), rec(2)]);
    expect(ids((await read(id, { language: 'EN-gb' })).lines)).toEqual([rec(2)]);
    expect(ids((await read(id, { host: 'b.example.com' })).lines)).toEqual([rec(2)]);
    expect(ids((await read(id, { minQuality: '0.5' })).lines)).toEqual([1, 2, 5].map(rec));
    expect(ids((await read(id, { minQuality: '0' })).lines)).toEqual([1, 2, 3, 5].map(rec));
    expect(ids((await read(id, { fetchedSince: '2025-01-01T00:00:03Z' })).lines)).toEqual([3, 4, 5].map(rec));
    expect(ids((await read(id, { round: '1' })).lines)).toEqual([rec(4), rec(5)]);
    expect(ids((await read(id, { round: '1', language: 'de' })).lines)).toEqual([]);
    for (const query of [
      'minQuality=1.5',
      'round=-1',
      'language=e*',
      'host=a%20b',
      'fetchedSince=yesterday',
    ]) {
      const res = await h.call('GET', `/v1/datasets/${id}/records?${query}`, { token: key });
      expect(res.status, query).toBe(400);
    }
  });

  it('serves every stored field, and gzip that decodes to the same lines when asked', async () => {
    const id = await newDataset('gzip');
    const provenance = { jobId: 'job-1', attempt: 1, redirects: [], signature: 'c2ln' };
    await h.database.db.insert(records).values(
      Array.from({ length: 30 }, (_, n) =>
        recordRow(id, n, {
          provenance,
          httpHeaders: { 'content-type': 'text/html' },
          fields: { price: n },
          fieldErrors: [],
        }),
      ),
    );
    const plain = await read(id, { limit: '1000' });
    expect(plain.res.headers.get('content-encoding')).toBeNull();
    expect(plain.lines[3]).toMatchObject({
      type: 'record',
      provenance,
      httpHeaders: { 'content-type': 'text/html' },
      quality: ENGLISH_PROSE,
      fields: { price: 3 },
      fieldErrors: [],
      round: 0,
      version: 1,
      nodeId: 'nod_1',
      bodySha256: 'a'.repeat(64),
      fetchedAt: '2025-01-01T00:00:03.000Z',
    });
    const res = await h.call('GET', `/v1/datasets/${id}/records?limit=1000`, {
      token: key,
      headers: { 'accept-encoding': 'br;q=1, gzip;q=0.8, identity;q=0.1' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('vary')).toBe('Accept-Encoding');
    const compressed = Buffer.from(await res.arrayBuffer());
    const decoded = gunzipSync(compressed).toString('utf8');
    expect(
      decoded
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as FeedLine),
    ).toEqual(plain.lines);
    expect(compressed.length).toBeLessThan(Buffer.byteLength(decoded));
    expect(res.headers.get('gleaner-next-cursor')).toBe(plain.next);
    const refused = await read(id, { limit: '1' }, { 'accept-encoding': 'gzip;q=0' });
    expect(refused.res.headers.get('content-encoding')).toBeNull();

    // A client that takes zstd (browsers, curl --compressed) gets it: the zstd command decodes the same lines.
    const zstd = await h.call('GET', `/v1/datasets/${id}/records?limit=1000`, {
      token: key,
      headers: { 'accept-encoding': 'gzip, deflate, br, zstd' },
    });
    expect(zstd.headers.get('content-encoding')).toBe('zstd');
    const frame = Buffer.from(await zstd.arrayBuffer());
    expect(execFileSync('zstd', ['-d', '-c'], { input: frame }).toString('utf8')).toBe(decoded);
    expect(frame.length).toBeLessThan(Buffer.byteLength(decoded));
  });

  it('serves the raw body of a live record to keys with raw:read only', async () => {
    const id = await newDataset('raw');
    const body = Buffer.from('<html><body><script>alert(1)</script>raw page</body></html>');
    await h.deps.blobs.put('raw/test/raw-body', body);
    await h.database.db
      .insert(records)
      .values([
        recordRow(id, 1, { blobKey: 'raw/test/raw-body' }),
        recordRow(id, 2, { blobKey: 'raw/test/gone' }),
        recordRow(id, 3, { blobKey: 'raw/test/raw-body', contentType: 'text/html\r\nset-cookie: a=1' }),
      ]);
    const path = `/v1/datasets/${id}/records/rec_${id}_1/raw`;
    const without = await h.call('GET', path, { token: key });
    expect(without.status).toBe(403);
    expect(((await without.json()) as { error: { message: string } }).error.message).toMatch(/raw:read/);
    const res = await h.call('GET', path, { token: rawKey });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toMatch(/^sandbox/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const odd = await h.call('GET', `/v1/datasets/${id}/records/rec_${id}_3/raw`, { token: rawKey });
    expect(odd.status).toBe(200);
    expect(odd.headers.get('content-type')).toBe('application/octet-stream');
    expect(odd.headers.get('set-cookie')).toBeNull();
    const gz = await h.call('GET', path, { token: rawKey, headers: { 'accept-encoding': 'gzip' } });
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).equals(body)).toBe(true);
    expect(
      (await h.call('GET', `/v1/datasets/${id}/records/rec_${id}_2/raw`, { token: rawKey })).status,
    ).toBe(404);
    expect((await h.call('GET', `/v1/datasets/${id}/records/rec_nope/raw`, { token: rawKey })).status).toBe(
      404,
    );
    const other = await newDataset('raw-other');
    expect(
      (await h.call('GET', `/v1/datasets/${other}/records/rec_${id}_1/raw`, { token: rawKey })).status,
    ).toBe(404);
    await h.deps.records.withdrawRecords([`rec_${id}_1`], 'takedown');
    expect((await h.call('GET', path, { token: rawKey })).status).toBe(404);
  });

  it('withdraws a record: it leaves the feed, and a cursor past it reads its tombstone', async () => {
    const id = await newDataset('withdraw');
    await h.database.db.insert(records).values([1, 2, 3].map((n) => recordRow(id, n)));
    const rec = (n: number) => `rec_${id}_${n}`;
    const first = await read(id);
    expect(ids(first.lines)).toEqual([rec(1), rec(2), rec(3)]);

    const admin = (recordId: string, body: unknown, datasetId = id) =>
      h.call('POST', `/v1/datasets/${datasetId}/records/${recordId}/withdraw`, { token: h.adminToken, body });
    expect(
      (
        await h.call('POST', `/v1/datasets/${id}/records/${rec(2)}/withdraw`, {
          token: key,
          body: { reason: 'x' },
        })
      ).status,
    ).toBe(401);
    expect((await admin(rec(2), { reason: '' })).status).toBe(400);
    expect((await admin('rec_missing', { reason: 'spam' })).status).toBe(404);
    expect((await admin(rec(2), { reason: 'spam' }, await newDataset('elsewhere'))).status).toBe(404);
    const res = await admin(rec(2), { reason: 'fabricated by a banned node' });
    expect(res.status).toBe(200);
    const tombstone = (await res.json()) as FeedLine;
    expect(tombstone).toEqual({
      type: 'tombstone',
      id: rec(2),
      reason: 'fabricated by a banned node',
      withdrawnAt: expect.any(String),
    });
    const again = await admin(rec(2), { reason: 'another reason' });
    expect(await again.json()).toEqual(tombstone);

    const followed = await read(id, { cursor: first.next });
    expect(followed.lines).toEqual([tombstone]);
    expect(followed.res.headers.get('gleaner-record-count')).toBe('0');
    expect(followed.res.headers.get('gleaner-tombstone-count')).toBe('1');
    expect((await read(id, { cursor: followed.next })).lines).toEqual([]);
    const fresh = await read(id);
    expect(fresh.lines.map((line) => `${line.type} ${line.id}`)).toEqual([
      `record ${rec(1)}`,
      `record ${rec(3)}`,
      `tombstone ${rec(2)}`,
    ]);
    const summary = (await (await h.call('GET', `/v1/datasets/${id}`, { token: key })).json()) as {
      records: number;
      withdrawn: number;
    };
    expect(summary).toMatchObject({ records: 2, withdrawn: 1 });
    expect((await read(id, { host: 'other.example.com' })).lines).toEqual([]);
  });

  it('withdraws many records at once for the trust system, ignoring unknown ids and keeping first reasons', async () => {
    const id = await newDataset('withdraw-many');
    await h.database.db.insert(records).values([1, 2, 3].map((n) => recordRow(id, n)));
    const rec = (n: number) => `rec_${id}_${n}`;
    await h.deps.records.withdrawRecords([rec(1)], 'first');
    const tombstones = await h.deps.records.withdrawRecords(
      [rec(1), rec(2), rec(2), 'rec_unknown'],
      'banned node',
    );
    expect(tombstones.map((t) => [t.recordId, t.reason]).sort()).toEqual([
      [rec(1), 'first'],
      [rec(2), 'banned node'],
    ]);
    expect(await h.deps.records.withdrawRecords([], 'nothing')).toEqual([]);
    const lines = (await read(id)).lines;
    expect(lines.map((line) => `${line.type} ${line.id}`)).toEqual([
      `record ${rec(3)}`,
      `tombstone ${rec(1)}`,
      `tombstone ${rec(2)}`,
    ]);
  });
});
