import { generateNodeKeyPair } from '@gleaner/core';
import type {
  ApiKeyList,
  ContributorNodeList,
  CreatedApiKey,
  CreatedOwner,
  Me,
  RegisteredNode,
} from '@gleaner/contracts';
import { DEFAULT_MAX_NODES_PER_OWNER, pointsLedger } from '@gleaner/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './api-test-harness.js';

/** The limits of a key created without any. */
const NO_LIMITS = {
  datasetIds: null,
  expiresAt: null,
  recordsPerDay: null,
  bytesPerDay: null,
  requestsPerMinute: null,
};

describe('account routes', () => {
  let h: ApiHarness;
  const admin = (method: string, path: string, body?: unknown) =>
    h.call(method, path, { token: h.adminToken, ...(body === undefined ? {} : { body }) });
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('creates an owner whose token then works once shown', async () => {
    const res = await admin('POST', '/v1/owners', { name: '  Ada  ' });
    expect(res.status).toBe(201);
    const owner = (await res.json()) as CreatedOwner;
    expect(owner).toEqual({
      id: expect.stringMatching(/^own_/),
      name: 'Ada',
      token: expect.stringMatching(/^gow_/),
    });
    const me = await h.call('GET', '/v1/me', { token: owner.token });
    expect(await me.json()).toEqual({ id: owner.id, name: 'Ada', points: 0 });
    expect((await admin('POST', '/v1/owners', { name: '' })).status).toBe(400);
    expect((await admin('POST', '/v1/owners', {})).status).toBe(400);
  });

  it('creates, lists and revokes API keys without ever listing the key', async () => {
    const res = await admin('POST', '/v1/api-keys', { name: 'lab' });
    expect(res.status).toBe(201);
    const created = (await res.json()) as CreatedApiKey;
    expect(created).toEqual({
      id: expect.stringMatching(/^key_/),
      name: 'lab',
      prefix: created.key.slice(0, 10),
      key: expect.stringMatching(/^glk_/),
      scopes: ['datasets:read'],
      ...NO_LIMITS,
      createdAt: expect.any(String),
    });
    const listRes = await admin('GET', '/v1/api-keys');
    const text = await listRes.text();
    expect(text).not.toContain(created.key);
    expect(text).not.toMatch(/hash/i);
    const list = JSON.parse(text) as ApiKeyList;
    expect(list.apiKeys).toEqual([
      {
        id: created.id,
        name: 'lab',
        prefix: created.prefix,
        scopes: ['datasets:read'],
        ...NO_LIMITS,
        createdAt: created.createdAt,
        revokedAt: null,
        lastUsedAt: null,
      },
    ]);
    expect((await admin('DELETE', `/v1/api-keys/${created.id}`)).status).toBe(204);
    expect((await admin('DELETE', `/v1/api-keys/${created.id}`)).status).toBe(204);
    const after = (await (await admin('GET', '/v1/api-keys')).json()) as ApiKeyList;
    expect(after.apiKeys[0]!.revokedAt).not.toBeNull();
    const missing = await admin('DELETE', '/v1/api-keys/key_missing');
    expect(missing.status).toBe(404);
    expect((await admin('POST', '/v1/api-keys', { name: 'x', scopes: ['admin'] })).status).toBe(400);
    expect((await admin('POST', '/v1/api-keys', { name: 'x', scopes: [] })).status).toBe(400);
  });

  /** Registers two nodes for a new owner (and one for someone else) and credits them 2 and 1 points. */
  async function ownerWithNodes() {
    const ada = await h.deps.accounts.createOwner('ada');
    const bob = await h.deps.accounts.createOwner('bob');
    const keys = [generateNodeKeyPair(), generateNodeKeyPair()];
    const register = async (token: string, body: unknown) => h.call('POST', '/v1/nodes', { token, body });
    const res = await register(ada.token, { publicKey: keys[0]!.publicKeyPem, name: 'laptop' });
    expect(res.status).toBe(201);
    const first = (await res.json()) as RegisteredNode;
    expect(first).toEqual({ nodeId: expect.stringMatching(/^nod_/), ownerId: ada.owner.id });
    const second = (await (
      await register(ada.token, { publicKey: keys[1]!.publicKeyPem })
    ).json()) as RegisteredNode;
    expect((await register(bob.token, { publicKey: generateNodeKeyPair().publicKeyPem })).status).toBe(201);
    await h.deps.accounts.touchNode(first.nodeId);
    await h.database.db.insert(pointsLedger).values([
      {
        ownerId: ada.owner.id,
        nodeId: first.nodeId,
        recordId: `rec_${first.nodeId}`,
        points: 2,
        reason: 'record',
      },
      {
        ownerId: ada.owner.id,
        nodeId: second.nodeId,
        recordId: `rec_${second.nodeId}`,
        points: 1,
        reason: 'record',
      },
    ]);
    return { ada, first, second, publicKeyPem: keys[0]!.publicKeyPem };
  }

  it('registers nodes and totals their points for the owner', async () => {
    const { ada } = await ownerWithNodes();
    const me = (await (await h.call('GET', '/v1/me', { token: ada.token })).json()) as Me;
    expect(me).toEqual({ id: ada.owner.id, name: 'ada', points: 3 });
  });

  it("lists the caller's nodes with their points and last-seen time", async () => {
    const { ada, first, second, publicKeyPem } = await ownerWithNodes();
    const res = await h.call('GET', '/v1/me/nodes', { token: ada.token });
    expect(res.status).toBe(200);
    const { nodes } = (await res.json()) as ContributorNodeList;
    expect(nodes.map((n) => [n.id, n.points])).toEqual([
      [first.nodeId, 2],
      [second.nodeId, 1],
    ]);
    expect(nodes[0]).toMatchObject({
      name: 'laptop',
      publicKey: publicKeyPem,
      lastSeenAt: expect.any(String),
    });
    expect(nodes[1]).toMatchObject({ name: expect.stringMatching(/^node-[0-9a-f]{8}$/), lastSeenAt: null });
    expect(Object.keys(nodes[0]!).sort()).toEqual([
      'createdAt',
      'id',
      'lastSeenAt',
      'name',
      'points',
      'publicKey',
    ]);
  });

  it('rejects a public key that is not Ed25519 PEM', async () => {
    const { token } = await h.deps.accounts.createOwner('eve');
    for (const publicKey of ['not a key', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n']) {
      const res = await h.call('POST', '/v1/nodes', { token, body: { publicKey } });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/Ed25519/);
    }
    expect((await h.call('POST', '/v1/nodes', { token, body: { publicKey: '' } })).status).toBe(400);
  });

  it('refuses a node past the owner cap with 409, and counts each owner on their own', async () => {
    const { owner, token } = await h.deps.accounts.createOwner('cap');
    const other = await h.deps.accounts.createOwner('cap-other');
    const register = (t: string) =>
      h.call('POST', '/v1/nodes', { token: t, body: { publicKey: generateNodeKeyPair().publicKeyPem } });
    // Side by side, as a script would: the cap still holds (the owner row is locked while counting).
    const statuses = await Promise.all(
      Array.from({ length: DEFAULT_MAX_NODES_PER_OWNER + 3 }, async () => (await register(token)).status),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(DEFAULT_MAX_NODES_PER_OWNER);
    expect(statuses.filter((s) => s === 409)).toHaveLength(3);
    expect(await h.deps.accounts.countNodes(owner.id)).toBe(DEFAULT_MAX_NODES_PER_OWNER);
    const refused = await register(token);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { code: string; message: string } }).error).toEqual({
      code: 'CONFLICT',
      message: expect.stringContaining(`already has ${DEFAULT_MAX_NODES_PER_OWNER} nodes`),
    });
    expect((await register(other.token)).status).toBe(201);

    // The cap comes from the coordinator's settings.
    h.deps.maxNodesPerOwner = DEFAULT_MAX_NODES_PER_OWNER + 1;
    try {
      expect((await register(token)).status).toBe(201);
      expect((await register(token)).status).toBe(409);
    } finally {
      delete h.deps.maxNodesPerOwner;
    }
  });
});
