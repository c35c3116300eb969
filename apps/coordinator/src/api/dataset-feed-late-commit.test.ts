import { parseCampaignSpec, type FeedLine } from '@gleaner/contracts';
import { encodeCursor, FEED_START } from '@gleaner/db';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './api-test-harness.js';

/** On real PostgreSQL: PGlite's one session would make the open transaction below block every other query. */
describe('dataset feed with transactions still open', () => {
  let h: ApiHarness;
  let key: string;
  let nextUrlId = 1;

  /** Inserts a minimal record through `client` (a pool client, maybe inside an open transaction). */
  async function insertRecord(
    client: pg.Pool | pg.PoolClient,
    datasetId: string,
    name: string,
  ): Promise<string> {
    const id = `rec_${datasetId}_${name}`;
    await client.query(
      `insert into records (id, dataset_id, campaign_id, url_id, url, final_url, host, status, fetched_at,
         node_id, owner_id, body_sha256, blob_key, text, markdown, text_hash, text_bytes)
       values ($1, $2, 'cmp_test', $3, $4, $4, 'example.com', 200, now(), 'nod_1', 'own_1', $5, 'raw/x', $6, $6,
         $7, 4)`,
      [id, datasetId, nextUrlId++, `https://example.com/${name}`, 'b'.repeat(64), name, `hash-${id}`],
    );
    return id;
  }

  async function read(datasetId: string, cursor: string) {
    const res = await h.call('GET', `/v1/datasets/${datasetId}/records?cursor=${cursor}`, { token: key });
    expect(res.status).toBe(200);
    const text = await res.text();
    const lines =
      text === ''
        ? []
        : text
            .trimEnd()
            .split('\n')
            .map((line) => JSON.parse(line) as FeedLine);
    return {
      lines: lines.map((line) => `${line.type} ${line.id}`),
      next: res.headers.get('gleaner-next-cursor')!,
    };
  }

  beforeAll(async () => {
    h = await startApiHarness({ realPostgres: true });
    key = (await h.deps.accounts.createApiKey('lab', ['datasets:read'])).key;
  }, 60_000);
  afterAll(async () => {
    await h.close();
  });

  it('holds a tombstone back while an older transaction is open, so no cursor passes its late record', async () => {
    const id = (await h.deps.campaigns.create('late', parseCampaignSpec({ seeds: ['https://example.com/'] })))
      .datasetId;
    const early = await insertRecord(h.database.pool, id, 'early');
    const start = await read(id, encodeCursor(FEED_START));
    expect(start.lines).toEqual([`record ${early}`]);
    const client = await h.database.pool.connect();
    let late: string;
    try {
      await client.query('begin');
      late = await insertRecord(client, id, 'late');
      await h.deps.records.withdrawRecords([early], 'takedown');
      // The tombstone committed, but after a transaction that is still open: it must wait behind it.
      const during = await read(id, start.next);
      expect(during).toEqual({ lines: [], next: start.next });
      await client.query('commit');
    } finally {
      client.release();
    }
    const after = await read(id, start.next);
    expect(after.lines).toEqual([`record ${late}`, `tombstone ${early}`]);
    expect((await read(id, encodeCursor(FEED_START))).lines).toEqual([
      `record ${late}`,
      `tombstone ${early}`,
    ]);
  });
});
