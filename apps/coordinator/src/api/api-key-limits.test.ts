import { parseCampaignSpec, type ApiKey, type ApiKeyUsage, type CreatedApiKey } from '@gleaner/contracts';
import { records } from '@gleaner/db';
import { ApiKeyLimiter, openRedis, type Redis } from '@gleaner/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './api-test-harness.js';
import { createApi } from './create-api.js';

describe('API key limits', () => {
  let h: ApiHarness;
  let datasetA: string;
  let datasetB: string;
  let secondRedis: Redis;
  let nextUrlId = 1;

  const admin = (method: string, path: string, body?: unknown) =>
    h.call(method, path, { token: h.adminToken, ...(body === undefined ? {} : { body }) });
  const createKey = async (body: Record<string, unknown>) => {
    const res = await admin('POST', '/v1/api-keys', { name: 'lab', ...body });
    expect(res.status).toBe(201);
    return (await res.json()) as CreatedApiKey;
  };
  const lab = (key: string, path: string) => h.call('GET', path, { token: key });
  const errorOf = async (res: Response) =>
    ((await res.json()) as { error: { code: string; message: string } }).error;

  async function fill(datasetId: string, count: number) {
    await h.database.db.insert(records).values(
      Array.from({ length: count }, (_, n) => {
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
          contentType: 'text/html',
          fetchedAt: new Date(),
          nodeId: 'nod_1',
          ownerId: 'own_1',
          bodySha256: 'a'.repeat(64),
          blobKey: `raw/${urlId}`,
          title: null,
          text: `text ${n}`,
          markdown: `text ${n}`,
          language: 'en',
          textHash: `hash-${urlId}`,
          textBytes: 6,
          metadata: null,
        };
      }),
    );
  }

  beforeAll(async () => {
    h = await startApiHarness();
    const spec = parseCampaignSpec({ seeds: ['https://example.com/'] });
    datasetA = (await h.deps.campaigns.create('a', spec)).datasetId;
    datasetB = (await h.deps.campaigns.create('b', spec)).datasetId;
    await fill(datasetA, 5);
    secondRedis = openRedis(h.redisUrl);
  });
  afterAll(async () => {
    await secondRedis.quit();
    await h.close();
  });

  it('creates keys with scopes and limits, and refuses bad ones', async () => {
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const created = await createKey({
      scopes: ['datasets:read', 'raw:read'],
      datasetIds: [datasetA],
      expiresAt,
      recordsPerDay: 100,
      bytesPerDay: 1_000_000,
      requestsPerMinute: 60,
    });
    expect(created).toMatchObject({
      scopes: ['datasets:read', 'raw:read'],
      datasetIds: [datasetA],
      expiresAt: new Date(expiresAt).toISOString(),
      recordsPerDay: 100,
      bytesPerDay: 1_000_000,
      requestsPerMinute: 60,
    });
    for (const bad of [
      { recordsPerDay: 0 },
      { datasetIds: [] },
      { expiresAt: 'tomorrow' },
      { scopes: ['raw'] },
    ]) {
      expect((await admin('POST', '/v1/api-keys', { name: 'x', ...bad })).status, JSON.stringify(bad)).toBe(
        400,
      );
    }
  });

  it('refuses an expired key with 401 and lets a key read only its datasets', async () => {
    const expired = await createKey({ expiresAt: new Date(Date.now() - 1000).toISOString() });
    const res = await lab(expired.key, '/v1/datasets');
    expect(res.status).toBe(401);
    expect((await errorOf(res)).message).toMatch(/expired/);

    const restricted = await createKey({ datasetIds: [datasetA] });
    const list = (await (await lab(restricted.key, '/v1/datasets')).json()) as { datasets: { id: string }[] };
    expect(list.datasets.map((d) => d.id)).toEqual([datasetA]);
    expect((await lab(restricted.key, `/v1/datasets/${datasetA}`)).status).toBe(200);
    expect((await lab(restricted.key, `/v1/datasets/${datasetA}/records`)).status).toBe(200);
    for (const path of [`/v1/datasets/${datasetB}`, `/v1/datasets/${datasetB}/records`]) {
      const refused = await lab(restricted.key, path);
      expect(refused.status, path).toBe(403);
      expect((await errorOf(refused)).message).toContain(datasetB);
    }
  });

  it('cuts a page to the records left today, then answers 429 with Retry-After until midnight UTC', async () => {
    const key = await createKey({ recordsPerDay: 3 });
    const first = await lab(key.key, `/v1/datasets/${datasetA}/records?limit=10`);
    expect(first.status).toBe(200);
    expect((await first.text()).trimEnd().split('\n')).toHaveLength(3);
    const refused = await lab(key.key, `/v1/datasets/${datasetA}/records?limit=10`);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    const untilMidnight = 86_400 - Math.floor((Date.now() % 86_400_000) / 1000);
    expect(Math.abs(retryAfter - untilMidnight)).toBeLessThanOrEqual(2);
    expect(await errorOf(refused)).toEqual({
      code: 'QUOTA_EXCEEDED',
      message: 'this API key used its 3 records per day for today (UTC)',
    });

    const byBytes = await createKey({ bytesPerDay: 10 });
    expect((await lab(byBytes.key, `/v1/datasets/${datasetA}/records?limit=1`)).status).toBe(200);
    const overBytes = await lab(byBytes.key, `/v1/datasets/${datasetA}`);
    expect(overBytes.status).toBe(429);
    expect((await errorOf(overBytes)).code).toBe('QUOTA_EXCEEDED');
  });

  it('limits the request rate over two API instances sharing one Redis', async () => {
    const key = await createKey({ requestsPerMinute: 3 });
    const other = createApi({ ...h.deps, limiter: new ApiKeyLimiter(secondRedis, { prefix: h.prefix }) });
    const viaOther = () =>
      other.request('/v1/datasets', { headers: { authorization: `Bearer ${key.key}` } }) as Promise<Response>;
    const statuses = [
      (await lab(key.key, '/v1/datasets')).status,
      (await viaOther()).status,
      (await lab(key.key, '/v1/datasets')).status,
    ];
    expect(statuses).toEqual([200, 200, 200]);
    for (const refused of [await viaOther(), await lab(key.key, '/v1/datasets')]) {
      expect(refused.status).toBe(429);
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(await errorOf(refused)).toEqual({
        code: 'RATE_LIMITED',
        message: 'this API key is limited to 3 requests per minute',
      });
    }
  });

  it('meters requests, records and bytes per day for the admin', async () => {
    const key = await createKey({});
    const bodies = [
      await (await lab(key.key, `/v1/datasets/${datasetA}/records?limit=2`)).text(),
      await (await lab(key.key, `/v1/datasets/${datasetA}/records?limit=5`)).text(),
    ];
    expect((await lab(key.key, '/v1/datasets')).status).toBe(200);
    const res = await admin('GET', `/v1/api-keys/${key.id}/usage?days=2`);
    expect(res.status).toBe(200);
    const usage = (await res.json()) as ApiKeyUsage;
    const today = new Date().toISOString().slice(0, 10);
    expect(usage.days[0]).toEqual({
      day: today,
      requests: 3,
      records: 7,
      bytes: bodies.reduce((sum, body) => sum + Buffer.byteLength(body), 0),
    });
    expect(usage.days[1]).toMatchObject({ requests: 0, records: 0, bytes: 0 });
    expect((await admin('GET', `/v1/api-keys/${key.id}/usage`)).status).toBe(200);
    expect((await admin('GET', `/v1/api-keys/${key.id}/usage?days=91`)).status).toBe(400);
    expect((await admin('GET', '/v1/api-keys/key_missing/usage')).status).toBe(404);
    expect((await lab(key.key, `/v1/api-keys/${key.id}/usage`)).status).toBe(401);
  });

  it('writes lastUsedAt on first use, then not again within the minute', async () => {
    const key = await createKey({});
    const lastUsed = async () => {
      const list = (await (await admin('GET', '/v1/api-keys')).json()) as { apiKeys: ApiKey[] };
      return list.apiKeys.find((k) => k.id === key.id)!.lastUsedAt;
    };
    expect(await lastUsed()).toBeNull();
    await lab(key.key, '/v1/datasets');
    const first = await lastUsed();
    expect(first).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await lab(key.key, '/v1/datasets');
    expect(await lastUsed()).toBe(first);
  });
});
