import {
  parseCampaignSpec,
  type DatasetList,
  type DatasetRecord,
  type DatasetSummary,
} from '@gleaner/contracts';
import { encodeCursor, FEED_START, records } from '@gleaner/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './api-test-harness.js';

const RECORD_FIELDS = [
  'blobKey',
  'bodySha256',
  'contentType',
  'fetchedAt',
  'fieldErrors',
  'fields',
  'finalUrl',
  'host',
  'httpHeaders',
  'id',
  'language',
  'markdown',
  'metadata',
  'nodeId',
  'provenance',
  'quality',
  'robots',
  'round',
  'siteSignals',
  'status',
  'text',
  'title',
  'type',
  'url',
  'version',
];

describe('dataset routes', () => {
  let h: ApiHarness;
  let key: string;
  let nextUrlId = 1;
  const lab = (path: string) => h.call('GET', path, { token: key });
  const newDataset = async (name: string) =>
    (await h.deps.campaigns.create(name, parseCampaignSpec({ seeds: ['https://example.com/'] }))).datasetId;

  /** A record row as the pipeline would write it. */
  function recordRow(datasetId: string, n: number, host = 'example.com') {
    const urlId = nextUrlId++;
    return {
      id: `rec_${datasetId}_${n}`,
      datasetId,
      campaignId: 'cmp_test',
      urlId,
      url: `https://${host}/${n}`,
      finalUrl: `https://${host}/${n}`,
      host,
      status: 200,
      contentType: 'text/html',
      fetchedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, n)),
      nodeId: 'nod_1',
      ownerId: 'own_1',
      bodySha256: 'a'.repeat(64),
      blobKey: `raw/${urlId}`,
      title: `Page ${n}`,
      text: `text ${n}`,
      markdown: `# Page ${n}`,
      language: n % 2 === 0 ? 'en' : null,
      textHash: `hash-${urlId}`,
      textBytes: 10,
      metadata: { n },
    };
  }

  async function readPage(datasetId: string, cursor: string | undefined, limit: number) {
    const query = new URLSearchParams({ limit: String(limit), ...(cursor === undefined ? {} : { cursor }) });
    const res = await lab(`/v1/datasets/${datasetId}/records?${query}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const text = await res.text();
    const lines =
      text === ''
        ? []
        : text
            .trimEnd()
            .split('\n')
            .map((line) => JSON.parse(line) as DatasetRecord);
    expect(res.headers.get('gleaner-record-count')).toBe(String(lines.length));
    const next = res.headers.get('gleaner-next-cursor');
    expect(next).toBeTruthy();
    return { lines, next: next! };
  }

  beforeAll(async () => {
    h = await startApiHarness();
    key = (await h.deps.accounts.createApiKey('lab', ['datasets:read'])).key;
  });
  afterAll(async () => {
    await h.close();
  });

  it('lists datasets and summarises one', async () => {
    const id = await newDataset('summary');
    await h.database.db.insert(records).values([recordRow(id, 1), recordRow(id, 2, 'b.example.com')]);
    const list = (await (await lab('/v1/datasets')).json()) as DatasetList;
    expect(list.datasets[0]).toEqual({
      id,
      name: 'summary',
      campaignId: expect.stringMatching(/^cmp_/),
      createdAt: expect.any(String),
    });
    const summary = (await (await lab(`/v1/datasets/${id}`)).json()) as DatasetSummary;
    expect(summary).toMatchObject({
      id,
      records: 2,
      withdrawn: 0,
      duplicates: 0,
      textBytes: 20,
      languages: { en: 1, und: 1 },
      hosts: { 'example.com': 1, 'b.example.com': 1 },
      firstFetchedAt: '2025-01-01T00:00:01.000Z',
      lastFetchedAt: '2025-01-01T00:00:02.000Z',
    });
    expect((await lab('/v1/datasets/ds_missing')).status).toBe(404);
  });

  it('serves the feed as NDJSON with the record fields and a cursor that stays put when nothing is new', async () => {
    const id = await newDataset('fields');
    const empty = await readPage(id, undefined, 10);
    expect(empty).toEqual({ lines: [], next: encodeCursor(FEED_START) });
    await h.database.db.insert(records).values(recordRow(id, 7));
    const page = await readPage(id, empty.next, 10);
    expect(page.lines).toHaveLength(1);
    expect(Object.keys(page.lines[0]!).sort()).toEqual(RECORD_FIELDS);
    expect(page.lines[0]).toMatchObject({
      type: 'record',
      id: `rec_${id}_7`,
      title: 'Page 7',
      metadata: { n: 7 },
      language: null,
      provenance: null,
      round: 0,
      version: 1,
    });
    const again = await readPage(id, page.next, 10);
    expect(again).toEqual({ lines: [], next: page.next });
  });

  it('gives every record exactly once across pages while two transactions insert concurrently', async () => {
    const id = await newDataset('concurrent');
    const other = await newDataset('other');
    await h.database.db.insert(records).values([recordRow(id, 0), recordRow(other, 0)]);
    const writer = (from: number) =>
      h.database.db.transaction(async (tx) => {
        for (let n = from; n < from + 15; n++) await tx.insert(records).values(recordRow(id, n));
      });
    let writersDone = false;
    const writers = Promise.all([writer(100), writer(200)]).then(() => {
      writersDone = true;
    });
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const finished = writersDone;
      const page = await readPage(id, cursor, 4);
      seen.push(...page.lines.map((r) => r.id));
      if (page.lines.length === 0) expect(page.next).toBe(cursor ?? encodeCursor(FEED_START));
      cursor = page.next;
      if (finished && page.lines.length === 0) break;
    }
    await writers;
    expect(seen).toHaveLength(31);
    expect(new Set(seen).size).toBe(31);
    expect(seen.every((recordId) => recordId.startsWith(`rec_${id}_`))).toBe(true);
  });

  it('rejects a bad cursor, a bad limit and an unknown dataset', async () => {
    const id = await newDataset('errors');
    for (const query of [
      'cursor=not-a-cursor',
      `cursor=${Buffer.from('1.2.3').toString('base64url')}`,
      'limit=1001',
      'limit=0',
      'limit=ten',
    ]) {
      const res = await lab(`/v1/datasets/${id}/records?${query}`);
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST');
    }
    expect((await lab(`/v1/datasets/${id}/records?limit=1000`)).status).toBe(200);
    const missing = await lab('/v1/datasets/ds_missing/records');
    expect(missing.status).toBe(404);
  });
});
