import { generateNodeKeyPair, resultMessage, signMessage, verifyMessage } from '@gleaner/core';
import { parseCampaignSpec, type DatasetRecord, type NodeKeyList } from '@gleaner/contracts';
import { records } from '@gleaner/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './api-test-harness.js';

describe('node key routes', () => {
  let h: ApiHarness;
  const pairs = [generateNodeKeyPair(), generateNodeKeyPair(), generateNodeKeyPair()];
  let nodeIds: string[];
  beforeAll(async () => {
    h = await startApiHarness();
    const { owner } = await h.deps.accounts.createOwner('ada');
    nodeIds = [];
    for (const [n, pair] of pairs.entries())
      nodeIds.push((await h.deps.accounts.createNode(owner.id, pair.publicKeyPem, `node-${n}`)).id);
  });
  afterAll(async () => {
    await h.close();
  });

  it('lists every node key without credentials, page by page, cacheable', async () => {
    const first = await h.call('GET', '/v1/nodes/keys?limit=2');
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('public, max-age=300');
    const page1 = (await first.json()) as NodeKeyList;
    expect(page1.keys).toHaveLength(2);
    expect(page1.next).toBe(page1.keys[1]!.nodeId);
    const page2 = (await (
      await h.call('GET', `/v1/nodes/keys?limit=2&after=${page1.next}`)
    ).json()) as NodeKeyList;
    expect(page2).toEqual({ keys: [expect.any(Object)], next: null });
    const all = [...page1.keys, ...page2.keys];
    expect(all.map((k) => k.nodeId)).toEqual([...nodeIds].sort());
    expect(JSON.stringify(all)).not.toMatch(/PRIVATE KEY|ownerId|tokenHash/);
  });

  it("lets a lab check a feed record's signature with the key listed for its node", async () => {
    const datasetId = (
      await h.deps.campaigns.create('signed', parseCampaignSpec({ seeds: ['https://example.com/'] }))
    ).datasetId;
    const signed = {
      jobId: 'job-9',
      attempt: 2,
      redirects: ['https://example.com/old'],
      finalUrl: 'https://example.com/new',
      status: 200,
      bodySha256: 'c'.repeat(64),
    };
    await h.database.db.insert(records).values({
      id: 'rec_signed',
      datasetId,
      campaignId: 'cmp_test',
      urlId: 1,
      url: 'https://example.com/old',
      finalUrl: signed.finalUrl,
      host: 'example.com',
      status: signed.status,
      contentType: 'text/html',
      fetchedAt: new Date(),
      nodeId: nodeIds[1]!,
      ownerId: 'own_1',
      bodySha256: signed.bodySha256,
      blobKey: 'raw/x',
      title: null,
      text: 'signed',
      markdown: 'signed',
      language: 'en',
      textHash: 'hash-signed',
      textBytes: 6,
      metadata: null,
      provenance: {
        jobId: signed.jobId,
        attempt: signed.attempt,
        redirects: signed.redirects,
        signature: signMessage(pairs[1]!.privateKeyPem, resultMessage(signed)),
      },
    });
    const key = (await h.deps.accounts.createApiKey('lab', ['datasets:read'])).key;
    const feed = await h.call('GET', `/v1/datasets/${datasetId}/records`, { token: key });
    const record = JSON.parse((await feed.text()).trimEnd()) as DatasetRecord;
    const keys = (await (await h.call('GET', '/v1/nodes/keys')).json()) as NodeKeyList;
    const publicKey = keys.keys.find((k) => k.nodeId === record.nodeId)!.publicKey;
    const { jobId, attempt, redirects, signature } = record.provenance!;
    const message = (finalUrl: string) =>
      resultMessage({
        jobId: jobId!,
        attempt: attempt!,
        redirects,
        finalUrl,
        status: record.status,
        bodySha256: record.bodySha256,
      });
    expect(verifyMessage(publicKey, message(record.finalUrl), signature!)).toBe(true);
    expect(verifyMessage(publicKey, message('https://example.com/forged'), signature!)).toBe(false);
  });

  it('rejects a bad page query', async () => {
    for (const query of ['limit=0', 'limit=1001', 'after=a%20b']) {
      expect((await h.call('GET', `/v1/nodes/keys?${query}`)).status, query).toBe(400);
    }
  });
});
