import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountStore } from './account-store.js';
import { openDatabase, type Database } from './database.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';
import { EpochStore } from './epoch-store.js';
import { PointsStore } from './points-store.js';
import { RecordStore } from './record-store.js';
import { pointsLedger, recordWithdrawals } from './schema.js';
import { TrustStore } from './trust-store.js';

describe('points ledger', () => {
  let postgres: EmbeddedPostgres;
  let database: Database;
  let points: PointsStore;
  let records: RecordStore;
  let accounts: AccountStore;
  let urlId = 1;
  beforeAll(async () => {
    postgres = await startEmbeddedPostgres({ dataDir: 'memory://' });
    database = openDatabase({ url: postgres.url, maxConnections: 2 });
    points = new PointsStore(database.db);
    records = new RecordStore(database.db);
    accounts = new AccountStore(database.db);
  });
  afterAll(async () => {
    await database.close();
    await postgres.stop();
  });

  /** Accepts a record fetched by a node, as the pipeline does: the record and its pending credit in one go. */
  async function credit(ownerId: string, nodeId: string, campaignId = 'cmp_a'): Promise<string> {
    const text = `page ${randomUUID()}`;
    const outcome = await records.accept({
      datasetId: 'ds_a',
      campaignId,
      urlId: urlId++,
      url: `https://example.com/${urlId}`,
      finalUrl: `https://example.com/${urlId}`,
      host: 'example.com',
      status: 200,
      contentType: 'text/html',
      fetchedAt: new Date(),
      nodeId,
      ownerId,
      bodySha256: 'a'.repeat(64),
      blobKey: 'raw/a',
      title: null,
      text,
      markdown: text,
      language: 'en',
      textHash: randomUUID(),
      metadata: null,
    });
    if (outcome.kind !== 'accepted') throw new Error(`record not accepted: ${outcome.kind}`);
    return outcome.recordId;
  }

  /** Checks `settled + pending + voided = credited` for an owner, in its totals and summed over its earnings. */
  async function expectBalanced(ownerId: string) {
    const totals = await points.totals(ownerId);
    expect(totals.settled + totals.pending + totals.voided).toBe(totals.credited);
    const rows = await points.earnings(ownerId, new Date(0));
    for (const row of rows) expect(row.settled + row.pending + row.voided).toBe(row.credited);
    const sum = (key: 'credited' | 'reversed') => rows.reduce((s, row) => s + row[key], 0);
    expect(sum('credited')).toBe(totals.credited);
    expect(sum('reversed')).toBe(totals.reversed);
    return totals;
  }

  it('keeps settled + pending + voided = credited through credits, settling, a ban and a reversal', async () => {
    const { owner: ada } = await accounts.createOwner('ada');
    const { owner: bob } = await accounts.createOwner('bob');
    const a1 = (await accounts.createNode(ada.id, 'pem', 'a1')).id;
    const a2 = (await accounts.createNode(ada.id, 'pem', 'a2')).id;
    const b1 = (await accounts.createNode(bob.id, 'pem', 'b1')).id;
    const a1Records = [await credit(ada.id, a1), await credit(ada.id, a1), await credit(ada.id, a1, 'cmp_b')];
    const a2Records = [await credit(ada.id, a2), await credit(ada.id, a2)];
    await credit(bob.id, b1);
    expect(await expectBalanced(ada.id)).toEqual({
      credited: 5,
      pending: 5,
      settled: 0,
      voided: 0,
      reversed: 0,
    });

    expect(await points.settle(a1, new Date(), 40)).toBe(3);
    expect(await expectBalanced(ada.id)).toMatchObject({ credited: 5, pending: 2, settled: 3 });

    // A ban voids the node's pending credits; settled ones stay until a reversal takes them back.
    await new TrustStore(database.db).ban(a2, 'fabrication');
    expect(await points.voidPending(a2)).toBe(2);
    expect(await points.reverse(a2Records[0]!, 'withdrawn', 41)).toBe(false);
    expect(await expectBalanced(ada.id)).toMatchObject({ credited: 5, pending: 0, settled: 3, voided: 2 });

    const [before] = await database.db
      .select()
      .from(pointsLedger)
      .where(eq(pointsLedger.recordId, a1Records[0]!));
    expect(await points.reverse(a1Records[0]!, 'record withdrawn', 41)).toBe(true);
    expect(await points.reverse(a1Records[0]!, 'record withdrawn', 41)).toBe(false);
    const entries = await database.db
      .select()
      .from(pointsLedger)
      .where(eq(pointsLedger.ownerId, ada.id))
      .orderBy(pointsLedger.id);
    expect(entries).toHaveLength(6);
    // The settled credit is untouched; its reversal is a new, negative, settled entry naming it.
    expect(entries.find((e) => e.id === before!.id)).toEqual(before);
    expect(entries.at(-1)).toMatchObject({
      points: -1,
      status: 'settled',
      reverses: before!.id,
      epochId: 41,
      campaignId: before!.campaignId,
    });
    expect(await expectBalanced(ada.id)).toEqual({
      credited: 5,
      pending: 0,
      settled: 3,
      voided: 2,
      reversed: -1,
    });
    expect(await expectBalanced(bob.id)).toMatchObject({ credited: 1, pending: 1 });

    // Earnings name each credit's campaign (its record's) and epoch.
    const rows = await points.earnings(ada.id, new Date(0));
    expect(rows.find((r) => r.campaignId === 'cmp_b')).toMatchObject({ nodeId: a1, epochId: 40, settled: 1 });
    expect(rows.find((r) => r.nodeId === a2)).toMatchObject({
      voided: 2,
      epochId: null,
      campaignId: 'cmp_a',
    });
    expect(await points.epochBalances(40)).toEqual([{ ownerId: ada.id, amount: 3 }]);
    // An epoch whose only entry is a reversal has no positive balance to publish.
    expect(await points.epochBalances(41)).toEqual([]);
    expect(await points.firstSettledEpoch()).toBe(40);
  });

  it('lands a page of an already banned node withdrawn, its point voided, as the ban would have left it', async () => {
    const { owner } = await accounts.createOwner('fay');
    const node = (await accounts.createNode(owner.id, 'pem', 'f1')).id;
    await new TrustStore(database.db).ban(node, 'fabrication');
    const recordId = await credit(owner.id, node);
    const withdrawn = await database.db
      .select()
      .from(recordWithdrawals)
      .where(eq(recordWithdrawals.recordId, recordId));
    expect(withdrawn).toEqual([expect.objectContaining({ reason: 'node banned: fabrication' })]);
    expect(await expectBalanced(owner.id)).toMatchObject({ credited: 1, pending: 0, voided: 1 });
  });

  it('sends entries settling into a closed epoch to the next open one', async () => {
    const { owner } = await accounts.createOwner('cy');
    const node = (await accounts.createNode(owner.id, 'pem', 'c1')).id;
    const recordId = await credit(owner.id, node);
    const epochs = new EpochStore(database.db);
    await epochs.open(90, new Date(90_000), new Date(91_000));
    await epochs.close(90, (balances) => ({
      format: 'gleaner-epoch-v1',
      epochId: 90,
      startsAt: '',
      endsAt: '',
      closedAt: '',
      leafEncoding: ['string', 'uint256'],
      root: '0x',
      total: balances.length,
      balances,
      tree: null,
      signature: { algorithm: 'ed25519', keyId: '', publicKey: '', value: '' },
    }));
    expect(await points.settle(node, new Date(), 90)).toBe(1);
    expect(await points.reverse(recordId, 'withdrawn', 12)).toBe(true);
    const entries = await database.db.select().from(pointsLedger).where(eq(pointsLedger.ownerId, owner.id));
    expect(entries.map((e) => e.epochId)).toEqual([91, 91]);
    expect(await points.epochBalances(90)).toEqual([]);
  });

  it('under a cap, counts and settles into the next open epoch when the one asked for is closed', async () => {
    const { owner } = await accounts.createOwner('gus');
    const node = (await accounts.createNode(owner.id, 'pem', 'g1')).id;
    for (let i = 0; i < 4; i++) await credit(owner.id, node);
    const epochs = new EpochStore(database.db);
    await epochs.open(120, new Date(120_000), new Date(121_000));
    await epochs.close(120, (balances) => ({
      format: 'gleaner-epoch-v1',
      epochId: 120,
      startsAt: '',
      endsAt: '',
      closedAt: '',
      leafEncoding: ['string', 'uint256'],
      root: '0x',
      total: balances.length,
      balances,
      tree: null,
      signature: { algorithm: 'ed25519', keyId: '', publicKey: '', value: '' },
    }));
    expect(await points.settle(node, new Date(), 120, 3)).toBe(3);
    expect(await points.settle(node, new Date(), 120, 3)).toBe(0);
    const entries = await database.db.select().from(pointsLedger).where(eq(pointsLedger.ownerId, owner.id));
    expect(entries.filter((e) => e.status === 'settled').map((e) => e.epochId)).toEqual([121, 121, 121]);
    expect(await points.epochBalances(120)).toEqual([]);
    expect(await expectBalanced(owner.id)).toMatchObject({ credited: 4, settled: 3, pending: 1 });
  });

  it('ranks owners who opted in by settled points, display names only', async () => {
    const { owner: dee } = await accounts.createOwner('dee');
    const { owner: eve } = await accounts.createOwner('eve');
    const d1 = (await accounts.createNode(dee.id, 'pem', 'd1')).id;
    const e1 = (await accounts.createNode(eve.id, 'pem', 'e1')).id;
    for (let i = 0; i < 3; i++) await credit(dee.id, d1);
    await credit(eve.id, e1);
    await points.settle(d1, new Date(), 100);
    await points.settle(e1, new Date(), 100);
    expect(await points.setDisplayName(dee.id, 'Dee')).toBe(true);
    expect(await points.setDisplayName('own_missing', 'x')).toBe(false);
    expect((await points.leaderboard()).map((r) => r.displayName)).not.toContain('eve');
    await points.setDisplayName(eve.id, 'Eve');
    const board = await points.leaderboard();
    expect(board.filter((r) => ['Dee', 'Eve'].includes(r.displayName))).toEqual([
      { displayName: 'Dee', settled: 3 },
      { displayName: 'Eve', settled: 1 },
    ]);
    await points.setDisplayName(eve.id, null);
    expect((await points.leaderboard()).map((r) => r.displayName)).not.toContain('Eve');
  });
});
