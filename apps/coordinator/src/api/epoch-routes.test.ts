import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { parseSigningKey, type SigningKey } from '@gleaner/config';
import type { EpochFile, EpochList, EpochProof, SigningKeyInfo } from '@gleaner/contracts';
import { EpochStore, PointsStore, pointsLedger, type EpochBalance, type EpochRow } from '@gleaner/db';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './api-test-harness.js';
import { createApi } from './create-api.js';

const ENCODING = ['string', 'uint256'];
const ZERO_ROOT = `0x${'00'.repeat(32)}`;

/** The published file, built as the worker's epoch closer documents it. */
function publish(epoch: EpochRow, balances: EpochBalance[], closedAt: Date, key: SigningKey) {
  const tree =
    balances.length > 0
      ? StandardMerkleTree.of(
          balances.map((b) => [b.ownerId, String(b.amount)]),
          ENCODING,
        )
      : undefined;
  const fields = {
    epochId: epoch.id,
    startsAt: epoch.startsAt.toISOString(),
    endsAt: epoch.endsAt.toISOString(),
    root: tree?.root ?? ZERO_ROOT,
    total: balances.reduce((s, b) => s + b.amount, 0),
  };
  const message = [
    'gleaner-epoch-v1',
    fields.epochId,
    fields.startsAt,
    fields.endsAt,
    fields.root,
    fields.total,
  ];
  return {
    format: 'gleaner-epoch-v1' as const,
    ...fields,
    closedAt: closedAt.toISOString(),
    leafEncoding: ['string', 'uint256'] as ['string', 'uint256'],
    balances,
    tree: tree?.dump() ?? null,
    signature: {
      algorithm: 'ed25519' as const,
      keyId: key.keyId,
      publicKey: key.publicKeyPem,
      value: sign(null, Buffer.from(message.join('\n')), key.privateKeyPem).toString('base64'),
    },
  };
}

describe('epoch routes', () => {
  let h: ApiHarness;
  let app: OpenAPIHono;
  let key: SigningKey;
  const owners: { id: string; token: string }[] = [];
  const get = (path: string, token?: string) =>
    app.request(path, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    h = await startApiHarness();
    key = parseSigningKey(
      generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      'test key',
    );
    app = createApi({ ...h.deps, signingKey: key });
    const points = new PointsStore(h.database.db);
    for (const [name, amount] of [
      ['ada', 3],
      ['bob', 5],
      ['cy', 0],
    ] as const) {
      const { owner, token } = await h.deps.accounts.createOwner(name);
      owners.push({ id: owner.id, token });
      const node = (await h.deps.accounts.createNode(owner.id, 'pem', name)).id;
      for (let i = 0; i < amount; i++)
        await h.database.db.insert(pointsLedger).values({
          ownerId: owner.id,
          nodeId: node,
          recordId: `rec_${name}${i}`,
          points: 1,
          reason: 'record-accepted',
        });
      await points.settle(node, new Date(), 10);
    }
    const epochs = new EpochStore(h.database.db);
    for (const id of [10, 11, 12]) await epochs.open(id, new Date(id * 1000), new Date((id + 1) * 1000));
    for (const id of [10, 11])
      await epochs.close(id, (balances, closedAt, epoch) => publish(epoch, balances, closedAt, key));
  });
  afterAll(async () => {
    await h.close();
  });

  it('lists epochs newest first without credentials, page by page', async () => {
    const first = (await (await get('/v1/epochs?limit=2')).json()) as EpochList;
    expect(first.epochs.map((e) => [e.id, e.closedAt !== null])).toEqual([
      [12, false],
      [11, true],
    ]);
    expect(first.epochs[0]).toMatchObject({
      root: null,
      total: null,
      startsAt: new Date(12_000).toISOString(),
    });
    expect(first.epochs[1]).toMatchObject({ root: ZERO_ROOT, total: 0 });
    expect(first.next).toBe(11);
    const second = (await (await get('/v1/epochs?limit=2&before=11')).json()) as EpochList;
    expect(second).toMatchObject({ epochs: [{ id: 10, total: 8 }], next: null });
  });

  it('serves the signed file; a proof from it verifies with the library, the signature with node:crypto', async () => {
    const res = await get('/v1/epochs/10');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('immutable');
    const file = (await res.json()) as EpochFile;
    expect(file.balances).toHaveLength(2);
    expect(file.total).toBe(8);

    const published = (await (await get('/v1/signing-key')).json()) as SigningKeyInfo;
    expect(published).toEqual({ algorithm: 'ed25519', keyId: key.keyId, publicKey: key.publicKeyPem });
    expect(file.signature.keyId).toBe(published.keyId);
    const message = [
      'gleaner-epoch-v1',
      file.epochId,
      file.startsAt,
      file.endsAt,
      file.root,
      file.total,
    ].join('\n');
    const signature = Buffer.from(file.signature.value, 'base64');
    expect(verify(null, Buffer.from(message), createPublicKey(published.publicKey), signature)).toBe(true);
    expect(verify(null, Buffer.from(`${message}1`), createPublicKey(published.publicKey), signature)).toBe(
      false,
    );

    const [ada] = owners;
    const proofRes = await get('/v1/epochs/10/proof', ada!.token);
    expect(proofRes.status).toBe(200);
    const proof = (await proofRes.json()) as EpochProof;
    expect(proof).toMatchObject({
      epochId: 10,
      ownerId: ada!.id,
      amount: 3,
      leaf: [ada!.id, '3'],
      root: file.root,
    });
    expect(StandardMerkleTree.verify(file.root, proof.leafEncoding, proof.leaf, proof.proof)).toBe(true);
    expect(StandardMerkleTree.verify(file.root, proof.leafEncoding, [ada!.id, '4'], proof.proof)).toBe(false);
  });

  it('answers 401, 404 and 409 where it should', async () => {
    expect((await get('/v1/epochs/10/proof')).status).toBe(401);
    expect((await get('/v1/epochs/10/proof', h.adminToken)).status).toBe(401);
    // cy has nothing settled: no leaf, no proof; an empty epoch has no tree.
    expect((await get('/v1/epochs/10/proof', owners[2]!.token)).status).toBe(404);
    expect((await get('/v1/epochs/11/proof', owners[0]!.token)).status).toBe(404);
    expect((await get('/v1/epochs/99')).status).toBe(404);
    expect((await get('/v1/epochs/99/proof', owners[0]!.token)).status).toBe(404);
    const open = await get('/v1/epochs/12');
    expect(open.status).toBe(409);
    expect(((await open.json()) as { error: { message: string } }).error.message).toMatch(/not closed/);
    expect((await get('/v1/epochs/12/proof', owners[0]!.token)).status).toBe(409);
    expect((await get('/v1/epochs/abc')).status).toBe(400);
    // The harness's API has no signing key.
    expect((await h.call('GET', '/v1/signing-key')).status).toBe(404);
  });

  it('puts every epoch route in the OpenAPI document, the proof behind an owner token', async () => {
    const doc = (await (await get('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    };
    for (const path of ['/v1/epochs', '/v1/epochs/{id}', '/v1/signing-key', '/v1/leaderboard'])
      expect(doc.paths[path]?.get?.security, path).toBeUndefined();
    expect(doc.paths['/v1/epochs/{id}/proof']?.get?.security).toEqual([{ ownerToken: [] }]);
    for (const [path, method] of [
      ['/v1/me/earnings', 'get'],
      ['/v1/me/token', 'post'],
      ['/v1/me/token', 'delete'],
      ['/v1/me/profile', 'put'],
    ] as const)
      expect(doc.paths[path]?.[method]?.security, `${method} ${path}`).toEqual([{ ownerToken: [] }]);
  });
});
