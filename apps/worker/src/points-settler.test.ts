import {
  AccountStore,
  nodes,
  openDatabase,
  PointsStore,
  pointsLedger,
  RecordStore,
  startEmbeddedPostgres,
  TrustStore,
  type Database,
  type EmbeddedPostgres,
} from '@gleaner/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { epochOf, PointsSettler } from './points-settler.js';

const EPOCH_MS = 60_000;
/** Epoch 500's start; the tests' clock runs from here. */
const T0 = 500 * EPOCH_MS;

describe('points settler', () => {
  let postgres: EmbeddedPostgres;
  let database: Database;
  let accounts: AccountStore;
  let points: PointsStore;
  let trust: TrustStore;
  let records: RecordStore;
  let recordNo = 0;

  beforeAll(async () => {
    postgres = await startEmbeddedPostgres({ dataDir: 'memory://' });
    database = openDatabase({ url: postgres.url, maxConnections: 4 });
    accounts = new AccountStore(database.db);
    points = new PointsStore(database.db);
    trust = new TrustStore(database.db);
    records = new RecordStore(database.db);
  });
  afterAll(async () => {
    await database.close();
    await postgres.stop();
  });

  function settler(maxPointsPerOwnerPerEpoch?: number): PointsSettler {
    return new PointsSettler({
      trust,
      points,
      records,
      settle: { holdMs: 0 },
      epochMs: EPOCH_MS,
      voteExpiryMs: 3_600_000,
      ...(maxPointsPerOwnerPerEpoch === undefined ? {} : { maxPointsPerOwnerPerEpoch }),
    });
  }

  /** An owner with `count` trusted nodes. */
  async function ownerWithTrustedNodes(name: string, count: number) {
    const { owner } = await accounts.createOwner(name);
    const nodeIds: string[] = [];
    for (let i = 0; i < count; i++) {
      const node = await accounts.createNode(owner.id, 'pem', `${name}-${i}`);
      await database.db.update(nodes).set({ standing: 'trusted' }).where(eq(nodes.id, node.id));
      nodeIds.push(node.id);
    }
    return { ownerId: owner.id, nodeIds };
  }

  /** Pending credits of one point each, made at `at`, as record acceptance writes them. */
  async function credit(ownerId: string, nodeId: string, count: number, at: Date): Promise<void> {
    for (let i = 0; i < count; i++) {
      await database.db.insert(pointsLedger).values({
        ownerId,
        nodeId,
        recordId: `rec_settle_${recordNo++}`,
        points: 1,
        reason: 'record accepted',
        createdAt: at,
      });
    }
  }

  /** The owner's totals, checking settled + pending + voided = credited. */
  async function balanced(ownerId: string) {
    const totals = await points.totals(ownerId);
    expect(totals.settled + totals.pending + totals.voided).toBe(totals.credited);
    return totals;
  }

  async function settledIn(ownerId: string, epochId: number): Promise<number> {
    const rows = await database.db.select().from(pointsLedger).where(eq(pointsLedger.ownerId, ownerId));
    return rows
      .filter((r) => r.status === 'settled' && r.epochId === epochId)
      .reduce((s, r) => s + r.points, 0);
  }

  it('settles at most the cap per owner per epoch over all its nodes, the rest pending for the next epoch', async () => {
    const ada = await ownerWithTrustedNodes('ada', 3);
    const bob = await ownerWithTrustedNodes('bob', 1);
    const past = new Date(T0 - 10_000);
    for (const nodeId of ada.nodeIds) await credit(ada.ownerId, nodeId, 4, past);
    await credit(bob.ownerId, bob.nodeIds[0]!, 3, past);
    const capped = settler(5);

    await capped.sweep(T0 + 1000);
    const epoch = epochOf(T0 + 1000, EPOCH_MS);
    expect(await settledIn(ada.ownerId, epoch)).toBe(5);
    expect(await balanced(ada.ownerId)).toMatchObject({ credited: 12, settled: 5, pending: 7, voided: 0 });
    // Another owner has a cap of their own.
    expect(await balanced(bob.ownerId)).toMatchObject({ credited: 3, settled: 3, pending: 0 });

    // Sweeping again within the epoch settles nothing more for the owner at its cap.
    await capped.sweep(T0 + 30_000);
    expect(await balanced(ada.ownerId)).toMatchObject({ settled: 5, pending: 7 });

    // A reversal does not make room in the epoch.
    const [settledEntry] = await database.db
      .select()
      .from(pointsLedger)
      .where(eq(pointsLedger.ownerId, ada.ownerId))
      .then((rows) => rows.filter((r) => r.status === 'settled'));
    expect(await points.reverse(settledEntry!.recordId, 'record withdrawn', epoch)).toBe(true);
    await capped.sweep(T0 + 40_000);
    expect(await balanced(ada.ownerId)).toMatchObject({ settled: 5, pending: 7, reversed: -1 });

    // The next epoch settles the next five, the one after the last two.
    await capped.sweep(T0 + EPOCH_MS + 1000);
    expect(await settledIn(ada.ownerId, epoch + 1)).toBe(5);
    expect(await balanced(ada.ownerId)).toMatchObject({ settled: 10, pending: 2 });
    await capped.sweep(T0 + 2 * EPOCH_MS + 1000);
    expect(await settledIn(ada.ownerId, epoch + 2)).toBe(2);
    expect(await balanced(ada.ownerId)).toMatchObject({ credited: 12, settled: 12, pending: 0, voided: 0 });
  });

  it('settles the oldest credits first and voids a banned node past the cap like any other', async () => {
    const cy = await ownerWithTrustedNodes('cy', 2);
    const [c0, c1] = cy.nodeIds as [string, string];
    await credit(cy.ownerId, c0, 2, new Date(T0 - 20_000));
    await credit(cy.ownerId, c1, 3, new Date(T0 - 10_000));
    await credit(cy.ownerId, c0, 2, new Date(T0 - 5_000));
    const capped = settler(3);
    const epoch = epochOf(T0, EPOCH_MS);
    // c0's two oldest, then one of c1's (the cap), then nothing of c0's newer two.
    expect(await points.settle(c0, new Date(T0 - 15_000), epoch, 3)).toBe(2);
    expect(await points.settle(c1, new Date(T0), epoch, 3)).toBe(1);
    expect(await points.settle(c0, new Date(T0), epoch, 3)).toBe(0);
    expect(await balanced(cy.ownerId)).toMatchObject({ credited: 7, settled: 3, pending: 4 });

    await capped.ban(c1, 'fabrication', T0 + 2000);
    const totals = await balanced(cy.ownerId);
    expect(totals.voided).toBe(2);
    expect(totals.pending).toBe(2);
  });

  it('settles a whole backlog in one epoch under the default cap', async () => {
    const dee = await ownerWithTrustedNodes('dee', 2);
    for (const nodeId of dee.nodeIds) await credit(dee.ownerId, nodeId, 30, new Date(T0 - 10_000));
    await settler().sweep(T0 + 1000);
    expect(await balanced(dee.ownerId)).toMatchObject({ credited: 60, settled: 60, pending: 0 });
  });

  it('never settles past the cap when sweeps run side by side', async () => {
    const eve = await ownerWithTrustedNodes('eve', 4);
    for (const nodeId of eve.nodeIds) await credit(eve.ownerId, nodeId, 5, new Date(T0 - 10_000));
    const epoch = epochOf(T0 + 1000, EPOCH_MS);
    const results = await Promise.all(
      eve.nodeIds.map((nodeId) => points.settle(nodeId, new Date(T0), epoch, 7)),
    );
    expect(results.reduce((a, b) => a + b, 0)).toBe(7);
    expect(await settledIn(eve.ownerId, epoch)).toBe(7);
    expect(await balanced(eve.ownerId)).toMatchObject({ credited: 20, settled: 7, pending: 13 });
  });
});
