import { eq } from 'drizzle-orm';
import { generateNodeKeyPair, sha256Hex } from '@gleaner/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountStore } from './account-store.js';
import { openDatabase, type Database } from './database.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';
import { newUserCode, normalizeUserCode, PairingStore, USER_CODE_ALPHABET } from './pairing-store.js';
import { owners, pairings } from './schema.js';

describe('user codes', () => {
  it('are 8 symbols of the unambiguous alphabet in two groups, and read back however they are typed', () => {
    const code = newUserCode();
    expect(code).toMatch(new RegExp(`^[${USER_CODE_ALPHABET}]{4}-[${USER_CODE_ALPHABET}]{4}$`));
    expect(normalizeUserCode(` ${code.toLowerCase()} `)).toBe(code.replace('-', ''));
    expect(normalizeUserCode('K7QM4XPD')).toBe('K7QM4XPD');
    expect(normalizeUserCode('K7QM-4XP')).toBeUndefined();
    expect(normalizeUserCode('K7QM-4XP0')).toBeUndefined();
    expect(normalizeUserCode('K7QM-4XPDD')).toBeUndefined();
  });
});

describe('pairing store', () => {
  let postgres: EmbeddedPostgres;
  let database: Database;
  let store: PairingStore;
  let accounts: AccountStore;
  beforeAll(async () => {
    postgres = await startEmbeddedPostgres({ dataDir: 'memory://' });
    database = openDatabase({ url: postgres.url, maxConnections: 4 });
    store = new PairingStore(database.db);
    accounts = new AccountStore(database.db);
  });
  afterAll(async () => {
    await database.close();
    await postgres.stop();
  });

  const t0 = new Date('2026-12-01T10:00:00Z');
  const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
  const key = () => generateNodeKeyPair().publicKeyPem;

  it('pairs a node: approved by code, then traded once by its device code for an owner token of its own', async () => {
    const { owner } = await accounts.createOwner('ada');
    const started = await store.start({ publicKey: key(), nodeName: 'laptop', now: t0 });
    expect(started.intervalSeconds).toBe(5);
    expect(started.expiresAt).toEqual(at(600));
    // Neither code is stored as such.
    const [row] = await database.db
      .select()
      .from(pairings)
      .where(eq(pairings.deviceCodeHash, sha256Hex(started.deviceCode)));
    expect(JSON.stringify(row)).not.toContain(started.deviceCode);
    expect(row!.userCodeHash).toBe(sha256Hex(started.userCode.replace('-', '')));

    expect(await store.poll(started.deviceCode, at(1))).toEqual({ kind: 'pending', intervalSeconds: 5 });
    const approved = await store.approve(started.userCode.toLowerCase(), owner.id, 20, at(3));
    expect(approved.kind).toBe('approved');
    if (approved.kind !== 'approved') return;
    expect(approved.node).toMatchObject({ ownerId: owner.id, name: 'laptop' });
    // The same code again: the pairing is no longer pending.
    expect(await store.approve(started.userCode, owner.id, 20, at(4))).toEqual({ kind: 'unknown' });

    const polled = await store.poll(started.deviceCode, at(6));
    expect(polled).toMatchObject({ kind: 'approved', nodeId: approved.node.id, ownerId: owner.id });
    if (polled.kind !== 'approved') return;
    expect(polled.ownerToken).toMatch(/^gow_/);
    expect((await accounts.ownerByToken(polled.ownerToken))?.id).toBe(owner.id);
    expect(await store.poll(started.deviceCode, at(20))).toEqual({ kind: 'used' });
  });

  it('tells a node that polls too soon to slow down, by 5 s more each time', async () => {
    const started = await store.start({ publicKey: key(), nodeName: 'eager', now: t0 });
    expect(await store.poll(started.deviceCode, at(0))).toEqual({ kind: 'pending', intervalSeconds: 5 });
    expect(await store.poll(started.deviceCode, at(2))).toEqual({ kind: 'slow_down', intervalSeconds: 10 });
    expect(await store.poll(started.deviceCode, at(8))).toEqual({ kind: 'slow_down', intervalSeconds: 15 });
    expect(await store.poll(started.deviceCode, at(23))).toEqual({ kind: 'pending', intervalSeconds: 15 });
  });

  it('refuses an expired pairing to both its owner and its node, and an unknown device code', async () => {
    const { owner } = await accounts.createOwner('bob');
    const started = await store.start({ publicKey: key(), nodeName: 'late', ttlMs: 60_000, now: t0 });
    expect(await store.approve(started.userCode, owner.id, 20, at(60))).toEqual({ kind: 'unknown' });
    expect(await store.poll(started.deviceCode, at(61))).toEqual({ kind: 'expired' });
    expect(await store.poll('gpd_nothing', at(61))).toEqual({ kind: 'unknown' });
    expect(await store.approve('not a code', owner.id, 20, at(1))).toEqual({ kind: 'unknown' });
  });

  it('keeps to the owner node cap', async () => {
    const { owner } = await accounts.createOwner('cy');
    await accounts.createNode(owner.id, key(), 'first');
    const started = await store.start({ publicKey: key(), nodeName: 'second', now: t0 });
    expect(await store.approve(started.userCode, owner.id, 1, at(1))).toEqual({
      kind: 'at-cap',
      maxNodes: 1,
    });
    expect(await accounts.countNodes(owner.id)).toBe(1);
    // Still pending: another owner (or a raised cap) may approve it.
    expect((await store.approve(started.userCode, owner.id, 2, at(2))).kind).toBe('approved');
  });

  it('creates an account on approval with an invite code, once, and rolls it back with a bad one', async () => {
    const { code } = await store.createInvite('for dee', at(3600));
    const first = await store.start({ publicKey: key(), nodeName: 'dee-1', now: t0 });
    const made = await store.approveWithNewOwner(first.userCode, 'dee', code, at(1));
    expect(made.kind).toBe('approved');
    if (made.kind !== 'approved') return;
    expect((await accounts.ownerByToken(made.token))?.name).toBe('dee');
    expect(made.node.ownerId).toBe(made.owner.id);
    const [invite] = await store.listInvites();
    expect(invite).toMatchObject({ usedByOwnerId: made.owner.id, note: 'for dee' });
    expect(JSON.stringify(invite)).not.toContain(code);

    const ownersBefore = (await database.db.select().from(owners)).length;
    const second = await store.start({ publicKey: key(), nodeName: 'eve-1', now: t0 });
    expect(await store.approveWithNewOwner(second.userCode, 'eve', code, at(2))).toEqual({
      kind: 'bad-invite',
    });
    const { code: expired } = await store.createInvite(null, at(1));
    expect(await store.approveWithNewOwner(second.userCode, 'eve', expired, at(2))).toEqual({
      kind: 'bad-invite',
    });
    expect((await database.db.select().from(owners)).length).toBe(ownersBefore);
    // Without an invite (the open policy) it goes through, and the pairing is then taken.
    expect((await store.approveWithNewOwner(second.userCode, 'eve', undefined, at(3))).kind).toBe('approved');
    expect(await store.approveWithNewOwner(second.userCode, 'eve', undefined, at(4))).toEqual({
      kind: 'unknown',
    });
  });
});
