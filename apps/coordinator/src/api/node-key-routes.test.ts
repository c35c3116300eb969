import { generateNodeKeyPair, signMessage, verifyMessage } from '@gleaner/core';
import type { NodeKeyList } from '@gleaner/contracts';
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

    // A lab checks a node's signature with the key it listed.
    const listed = all.find((k) => k.nodeId === nodeIds[1])!;
    const signature = signMessage(pairs[1]!.privateKeyPem, 'job-1|https://example.com/|200|abc');
    expect(verifyMessage(listed.publicKey, 'job-1|https://example.com/|200|abc', signature)).toBe(true);
    expect(verifyMessage(listed.publicKey, 'job-1|https://example.com/|200|abd', signature)).toBe(false);
  });

  it('rejects a bad page query', async () => {
    for (const query of ['limit=0', 'limit=1001', 'after=a%20b']) {
      expect((await h.call('GET', `/v1/nodes/keys?${query}`)).status, query).toBe(400);
    }
  });
});
