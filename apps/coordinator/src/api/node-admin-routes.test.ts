import type { AdminNodeList, NodeBanResult, OwnerBanResult, OwnerToken } from '@gleaner/contracts';
import { TrustStore } from '@gleaner/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './api-test-harness.js';

describe('node admin routes', () => {
  let h: ApiHarness;
  let trust: TrustStore;
  let ada: { id: string; token: string };
  let bob: { id: string; token: string };
  const nodes: string[] = [];
  beforeAll(async () => {
    h = await startApiHarness();
    trust = new TrustStore(h.database.db);
    const a = await h.deps.accounts.createOwner('ada');
    const b = await h.deps.accounts.createOwner('bob');
    ada = { id: a.owner.id, token: a.token };
    bob = { id: b.owner.id, token: b.token };
    for (const [owner, name] of [
      [ada.id, 'a1'],
      [ada.id, 'a2'],
      [bob.id, 'b1'],
    ] as const)
      nodes.push((await h.deps.accounts.createNode(owner, 'pem', name)).id);
    await trust.recordNetwork(nodes[0]!, '203.0.113.0/24');
  });
  afterAll(async () => {
    await h.close();
  });

  it('lists nodes with owner, trust, standing and network, page by page, for admins only', async () => {
    expect((await h.call('GET', '/v1/admin/nodes')).status).toBe(401);
    expect((await h.call('GET', '/v1/admin/nodes', { token: ada.token })).status).toBe(401);
    const first = (await (
      await h.call('GET', '/v1/admin/nodes?limit=2', { token: h.adminToken })
    ).json()) as AdminNodeList;
    expect(first.nodes).toHaveLength(2);
    expect(first.next).toBe(2);
    const second = (await (
      await h.call('GET', '/v1/admin/nodes?limit=2&offset=2', { token: h.adminToken })
    ).json()) as AdminNodeList;
    expect(second.next).toBeNull();
    const all = [...first.nodes, ...second.nodes];
    expect(all.map((n) => n.id).sort()).toEqual([...nodes].sort());
    expect(all.find((n) => n.id === nodes[0])).toMatchObject({
      name: 'a1',
      ownerId: ada.id,
      ownerName: 'ada',
      trust: { mean: 0.5, alpha: 1, beta: 1 },
      checksPassed: 0,
      standing: 'probation',
      banned: false,
      banReason: null,
      addressPrefix: '203.0.113.0/24',
      lastSeenAt: expect.any(String),
    });
    expect(all[0]!.trust.lowerBound).toBeLessThan(0.5);
    expect((await h.call('GET', '/v1/admin/nodes?limit=0', { token: h.adminToken })).status).toBe(400);
  });

  it('bans a node, queues its consequences for the worker, and unbans it', async () => {
    const path = `/v1/admin/nodes/${nodes[2]}/ban`;
    expect((await h.call('POST', path, { body: { reason: 'x' } })).status).toBe(401);
    expect((await h.call('POST', path, { token: bob.token, body: { reason: 'x' } })).status).toBe(401);
    expect((await h.call('POST', path, { token: h.adminToken, body: { reason: '' } })).status).toBe(400);
    const missing = await h.call('POST', '/v1/admin/nodes/nod_missing/ban', {
      token: h.adminToken,
      body: { reason: 'x' },
    });
    expect(missing.status).toBe(404);

    const banned = await h.call('POST', path, { token: h.adminToken, body: { reason: 'fabricated pages' } });
    expect(banned.status).toBe(200);
    expect(((await banned.json()) as NodeBanResult).node).toMatchObject({
      standing: 'banned',
      banned: true,
      banReason: 'fabricated pages',
    });
    expect((await trust.view(nodes[2]!))?.banned).toBe(true);
    const job = await h.deps.queues.settle.getJob(`ban-${nodes[2]}`);
    expect(job?.data).toEqual({ kind: 'ban', nodeId: nodes[2], reason: 'fabricated pages' });

    const unbanned = await h.call('POST', `/v1/admin/nodes/${nodes[2]}/unban`, { token: h.adminToken });
    expect(((await unbanned.json()) as NodeBanResult).node).toMatchObject({
      standing: 'probation',
      banned: false,
      banReason: null,
    });
    expect((await h.call('POST', '/v1/admin/nodes/nod_missing/unban', { token: h.adminToken })).status).toBe(
      404,
    );
  });

  it("bans an owner with all its nodes, and an owner's unban lifts only the bans that came with it", async () => {
    await trust.ban(nodes[1]!, 'canary failed');
    const path = `/v1/admin/owners/${ada.id}/ban`;
    expect((await h.call('POST', path, { token: ada.token, body: { reason: 'farm' } })).status).toBe(401);
    expect(
      (
        await h.call('POST', '/v1/admin/owners/own_missing/ban', {
          token: h.adminToken,
          body: { reason: 'x' },
        })
      ).status,
    ).toBe(404);
    const res = await h.call('POST', path, { token: h.adminToken, body: { reason: 'farm' } });
    expect((await res.json()) as OwnerBanResult).toEqual({
      ownerId: ada.id,
      banned: true,
      nodeIds: expect.arrayContaining([nodes[0], nodes[1]]),
    });
    // The gateway refuses a node whose view says banned.
    expect((await trust.view(nodes[0]!))?.banned).toBe(true);
    expect((await h.deps.queues.settle.getJob(`ban-${nodes[0]}`))?.data).toEqual({
      kind: 'ban',
      nodeId: nodes[0],
      reason: 'owner banned: farm',
    });
    expect((await trust.view(nodes[2]!))?.banned).toBe(false);

    const lifted = await h.call('POST', `/v1/admin/owners/${ada.id}/unban`, { token: h.adminToken });
    expect((await lifted.json()) as OwnerBanResult).toEqual({
      ownerId: ada.id,
      banned: false,
      nodeIds: [nodes[0]],
    });
    expect((await trust.view(nodes[0]!))?.banned).toBe(false);
    expect((await trust.view(nodes[1]!))?.trust.provenReason).toBe('canary failed');
    expect((await h.call('POST', '/v1/admin/owners/own_missing/unban', { token: h.adminToken })).status).toBe(
      404,
    );
  });

  it("issues an owner a new token, ending the old one's use", async () => {
    const path = `/v1/admin/owners/${bob.id}/token`;
    expect((await h.call('POST', path, { token: bob.token })).status).toBe(401);
    expect((await h.call('POST', '/v1/admin/owners/own_missing/token', { token: h.adminToken })).status).toBe(
      404,
    );
    const res = await h.call('POST', path, { token: h.adminToken });
    expect(res.status).toBe(201);
    const { token } = (await res.json()) as OwnerToken;
    expect(token).toMatch(/^gow_/);
    expect((await h.call('GET', '/v1/me', { token: bob.token })).status).toBe(401);
    expect((await h.call('GET', '/v1/me', { token })).status).toBe(200);
    bob.token = token;
  });

  it('lists every route in the OpenAPI document with its credential', async () => {
    const doc = (await (await h.call('GET', '/openapi.json')).json()) as {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    };
    for (const path of [
      '/v1/admin/nodes',
      '/v1/admin/nodes/{id}/ban',
      '/v1/admin/nodes/{id}/unban',
      '/v1/admin/owners/{id}/ban',
      '/v1/admin/owners/{id}/unban',
      '/v1/admin/owners/{id}/token',
    ]) {
      const operations = Object.values(doc.paths[path] ?? {});
      expect(operations.length, path).toBeGreaterThan(0);
      for (const op of operations) expect(op.security, path).toEqual([{ adminToken: [] }]);
    }
  });
});
