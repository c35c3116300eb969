import { createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { ensureSigningKeyFile, type SigningKey } from '@gleaner/config';
import {
  AccountStore,
  EpochStore,
  openDatabase,
  PointsStore,
  pointsLedger,
  startEmbeddedPostgres,
  type Database,
  type EmbeddedPostgres,
} from '@gleaner/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_EPOCH_ROOT, EpochCloser, epochSigningMessage } from './epoch-closer.js';

const EPOCH_MS = 60_000;
const GRACE_MS = 5_000;
/** Epoch 1000's start; the tests' clock runs from here. */
const T0 = 1000 * EPOCH_MS;

describe('epoch closer', () => {
  let postgres: EmbeddedPostgres;
  let database: Database;
  let keyDir: string;
  let key: SigningKey;
  let epochs: EpochStore;
  let points: PointsStore;
  let closer: EpochCloser;
  const owners: string[] = [];
  const nodeOf = new Map<string, string>();

  beforeAll(async () => {
    postgres = await startEmbeddedPostgres({ dataDir: 'memory://' });
    database = openDatabase({ url: postgres.url, maxConnections: 2 });
    keyDir = mkdtempSync(join(tmpdir(), 'gleaner-epoch-key-'));
    key = ensureSigningKeyFile(join(keyDir, 'signing-key.pem'));
    epochs = new EpochStore(database.db);
    points = new PointsStore(database.db);
    closer = new EpochCloser({ epochs, points, signingKey: key, epochMs: EPOCH_MS, graceMs: GRACE_MS });
    const accounts = new AccountStore(database.db);
    for (const name of ['ada', 'bob', 'cy']) {
      const { owner } = await accounts.createOwner(name);
      owners.push(owner.id);
      nodeOf.set(owner.id, (await accounts.createNode(owner.id, 'pem', name)).id);
    }
  });
  afterAll(async () => {
    await database.close();
    await postgres.stop();
    rmSync(keyDir, { recursive: true, force: true });
  });

  /** Credits `amount` points to an owner, one entry per point, as record acceptance does. */
  async function credit(ownerId: string, amount: number): Promise<void> {
    for (let i = 0; i < amount; i++)
      await database.db.insert(pointsLedger).values({
        ownerId,
        nodeId: nodeOf.get(ownerId)!,
        recordId: `rec_${ownerId}_${Math.random()}`,
        points: 1,
        reason: 'record-accepted',
      });
  }

  it('publishes the settled balances as a signed Merkle tree whose proofs verify, once', async () => {
    const [ada, bob, cy] = owners as [string, string, string];
    await credit(ada, 3);
    await credit(bob, 2);
    await credit(cy, 4);
    for (const owner of [ada, bob]) await points.settle(nodeOf.get(owner)!, new Date(), 1000);

    // Before the end and its grace, nothing closes; the current epoch is listed open.
    expect(await closer.closeDue(T0 + EPOCH_MS + GRACE_MS - 1)).toEqual([]);
    expect((await epochs.get(1000))?.closedAt).toBeNull();

    expect(await closer.closeDue(T0 + EPOCH_MS + GRACE_MS)).toEqual([1000]);
    const epoch = (await epochs.get(1000))!;
    const file = epoch.publication!;
    expect(file.balances).toEqual(
      [
        { ownerId: ada, amount: 3 },
        { ownerId: bob, amount: 2 },
      ].sort((a, b) => (a.ownerId < b.ownerId ? -1 : 1)),
    );
    expect(file).toMatchObject({
      total: 5,
      startsAt: new Date(T0).toISOString(),
      leafEncoding: ['string', 'uint256'],
    });
    expect(epoch.merkleRoot).toBe(file.root);
    expect(epoch.totalPoints).toBe(5);

    const tree = StandardMerkleTree.load(
      file.tree as Parameters<typeof StandardMerkleTree.load<[string, string]>>[0],
    );
    expect(tree.root).toBe(file.root);
    for (const [i, leaf] of tree.entries()) {
      const proof = tree.getProof(i);
      expect(StandardMerkleTree.verify(file.root, ['string', 'uint256'], leaf, proof)).toBe(true);
      expect(StandardMerkleTree.verify(file.root, ['string', 'uint256'], [leaf[0], '99'], proof)).toBe(false);
    }

    const message = epochSigningMessage(file);
    const signature = Buffer.from(file.signature.value, 'base64');
    const publicKey = createPublicKey(file.signature.publicKey);
    expect(verify(null, Buffer.from(message), publicKey, signature)).toBe(true);
    expect(verify(null, Buffer.from(message.replace('\n5', '\n6')), publicKey, signature)).toBe(false);
    expect(file.signature.keyId).toBe(key.keyId);

    // Closing again, and settling after the close, change nothing in the published epoch.
    await points.settle(nodeOf.get(cy)!, new Date(), 1000);
    expect(await closer.closeDue(T0 + EPOCH_MS + GRACE_MS + 1)).toEqual([]);
    expect(await epochs.get(1000)).toEqual(epoch);
    expect(await points.epochBalances(1000)).toEqual(file.balances);
    expect(await points.epochBalances(1001)).toEqual([{ ownerId: cy, amount: 4 }]);
  });

  it('closes epochs with nothing settled too, in order, with the empty root', async () => {
    // Epoch 1001 holds cy's late settle; 1002 and 1003 hold nothing.
    expect(await closer.closeDue(T0 + 4 * EPOCH_MS + GRACE_MS)).toEqual([1001, 1002, 1003]);
    const empty = (await epochs.get(1002))!.publication!;
    expect(empty).toMatchObject({ root: EMPTY_EPOCH_ROOT, total: 0, balances: [], tree: null });
    expect(
      verify(
        null,
        Buffer.from(epochSigningMessage(empty)),
        createPublicKey(empty.signature.publicKey),
        Buffer.from(empty.signature.value, 'base64'),
      ),
    ).toBe(true);
    expect((await epochs.list(10)).map((e) => [e.id, e.closedAt !== null])).toEqual([
      [1004, false],
      [1003, true],
      [1002, true],
      [1001, true],
      [1000, true],
    ]);
    expect(await epochs.lastClosedId()).toBe(1003);
  });
});
