import { randomInt } from 'node:crypto';
import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import { newId, newSecret, sha256Hex } from '@gleaner/core';
import { insertNodeWithinCap, type NodeRow, type Owner } from './account-store.js';
import type { Db } from './database.js';
import { ownerInvites, owners, ownerTokens, pairings } from './schema.js';

/** A pairing as stored (never its codes). */
export type PairingRow = typeof pairings.$inferSelect;
/** An invite code as stored (never the code). */
export type OwnerInviteRow = typeof ownerInvites.$inferSelect;

/**
 * The letters and digits user codes are made of: no 0/O, 1/I/L or U/V look-alikes, so a code read off a screen is
 * typed right. 29 symbols, 8 of them: about 39 bits, and a guesser gets a few tries per address (see the API).
 */
export const USER_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTWXYZ';
/** Symbols in a user code (shown as two groups of four, `K7QM-4XPD`). */
export const USER_CODE_LENGTH = 8;
/** How long a pairing may wait for its owner, ms, unless the caller says otherwise: 10 minutes (RFC 8628 §3.2). */
export const DEFAULT_PAIRING_TTL_MS = 10 * 60_000;
/** Seconds a node waits between polls unless told otherwise (RFC 8628 §3.5's default). */
export const DEFAULT_POLL_INTERVAL_SECONDS = 5;
/** What a poll that comes too soon adds to the interval, seconds (RFC 8628 §3.5, `slow_down`). */
export const SLOW_DOWN_STEP_SECONDS = 5;
/** How much sooner than the interval a poll may come and still count as on time (network jitter), ms. */
const POLL_SLACK_MS = 500;
/** How long ended pairings are kept before {@link PairingStore.start} deletes them, ms. */
const KEEP_ENDED_MS = 24 * 60 * 60_000;

/** A new user code: {@link USER_CODE_LENGTH} symbols of {@link USER_CODE_ALPHABET}, grouped by four with a dash. */
export function newUserCode(): string {
  let code = '';
  for (let i = 0; i < USER_CODE_LENGTH; i++) code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * A user code as typed, in the one form it is hashed in: upper case, without dashes or spaces; undefined when it
 * cannot be a code (wrong length or symbols), which the caller counts as a wrong code without a lookup.
 */
export function normalizeUserCode(typed: string): string | undefined {
  const code = typed.toUpperCase().replace(/[\s-]/g, '');
  if (code.length !== USER_CODE_LENGTH) return undefined;
  for (const symbol of code) if (!USER_CODE_ALPHABET.includes(symbol)) return undefined;
  return code;
}

/** What a node gets when it starts pairing: its secret device code and the user code its owner types. */
export interface StartedPairing {
  deviceCode: string;
  /** Grouped for reading (`K7QM-4XPD`). */
  userCode: string;
  expiresAt: Date;
  intervalSeconds: number;
}

/** What approving a user code came to. */
export type ApprovalResult =
  | { kind: 'approved'; pairing: PairingRow; node: NodeRow }
  /** No pending pairing has this code: wrong, expired, or already approved. */
  | { kind: 'unknown' }
  /** The owner already has the most nodes allowed. */
  | { kind: 'at-cap'; maxNodes: number };

/** What a new account made on the pairing page came to. */
export type NewOwnerApproval =
  | (Extract<ApprovalResult, { kind: 'approved' }> & { owner: Owner; token: string })
  | { kind: 'unknown' }
  /** The invite code is wrong, used or expired. */
  | { kind: 'bad-invite' };

/** What a node's poll came to, after RFC 8628 §3.5. */
export type PollResult =
  | { kind: 'pending'; intervalSeconds: number }
  | { kind: 'slow_down'; intervalSeconds: number }
  | { kind: 'approved'; nodeId: string; ownerId: string; ownerToken: string }
  | { kind: 'expired' }
  /** The device code was already traded for its token. */
  | { kind: 'used' }
  | { kind: 'unknown' };

/** Options of {@link PairingStore.start}. */
export interface StartPairingOptions {
  /** The node's Ed25519 public key, SPKI PEM (checked by the caller). */
  publicKey: string;
  nodeName: string;
  /** Default {@link DEFAULT_PAIRING_TTL_MS}. */
  ttlMs?: number;
  /** Default {@link DEFAULT_POLL_INTERVAL_SECONDS}. */
  intervalSeconds?: number;
  now?: Date;
}

/**
 * Pairing nodes by code (RFC 8628's device authorization grant; docs/pairing.md) and the invite codes of the
 * `invite` account policy. Codes and tokens are returned once and stored as SHA-256; lookups are by hash, so their
 * timing tells nothing about the secret. Every step that changes a pairing locks its row, so a code is approved once
 * and a device code traded once, however many requests race.
 */
export class PairingStore {
  constructor(private readonly db: Db) {}

  /** Starts a pairing for a node's key; deletes pairings that ended more than a day ago. */
  async start(options: StartPairingOptions): Promise<StartedPairing> {
    const now = options.now ?? new Date();
    const expiresAt = new Date(now.getTime() + (options.ttlMs ?? DEFAULT_PAIRING_TTL_MS));
    const intervalSeconds = options.intervalSeconds ?? DEFAULT_POLL_INTERVAL_SECONDS;
    await this.db.delete(pairings).where(lt(pairings.expiresAt, new Date(now.getTime() - KEEP_ENDED_MS)));
    for (let attempt = 1; ; attempt++) {
      const deviceCode = newSecret('gpd');
      const userCode = newUserCode();
      const inserted = await this.db
        .insert(pairings)
        .values({
          id: newId('par'),
          deviceCodeHash: sha256Hex(deviceCode),
          userCodeHash: sha256Hex(normalizeUserCode(userCode)!),
          publicKey: options.publicKey,
          nodeName: options.nodeName,
          intervalSeconds,
          expiresAt,
          createdAt: now,
        })
        .onConflictDoNothing()
        .returning({ id: pairings.id });
      // A user code another pairing holds (one chance in billions): draw again.
      if (inserted.length > 0) return { deviceCode, userCode, expiresAt, intervalSeconds };
      if (attempt >= 3) throw new Error('could not draw a free user code');
    }
  }

  /**
   * Approves the pending, unexpired pairing with `userCode` for `ownerId`: registers the node's key for that owner
   * unless they have `maxNodes` nodes already.
   */
  async approve(
    userCode: string,
    ownerId: string,
    maxNodes: number,
    now = new Date(),
  ): Promise<ApprovalResult> {
    return this.db.transaction(async (tx) => {
      const pairing = await lockPending(tx, userCode, now);
      if (!pairing) return { kind: 'unknown' };
      const node = await insertNodeWithinCap(tx, ownerId, pairing.publicKey, pairing.nodeName, maxNodes);
      if (!node) return { kind: 'at-cap', maxNodes };
      return { kind: 'approved', pairing: await markApproved(tx, pairing.id, ownerId, node.id, now), node };
    });
  }

  /**
   * Creates a contributor account named `name` and approves the pairing with `userCode` for it, all or nothing; with
   * `inviteCode`, only if that code is unused and unexpired, and uses it up. Returns the account's owner token once.
   */
  async approveWithNewOwner(
    userCode: string,
    name: string,
    inviteCode: string | undefined,
    now = new Date(),
  ): Promise<NewOwnerApproval> {
    return this.db
      .transaction(async (tx): Promise<NewOwnerApproval> => {
        const pairing = await lockPending(tx, userCode, now);
        if (!pairing) return { kind: 'unknown' };
        const token = newSecret('gow');
        const [owner] = await tx
          .insert(owners)
          .values({ id: newId('own'), name, tokenHash: sha256Hex(token) })
          .returning();
        if (inviteCode !== undefined) {
          const used = await tx
            .update(ownerInvites)
            .set({ usedAt: now, usedByOwnerId: owner!.id })
            .where(
              and(
                eq(ownerInvites.codeHash, sha256Hex(inviteCode)),
                isNull(ownerInvites.usedAt),
                gt(ownerInvites.expiresAt, now),
              ),
            )
            .returning({ id: ownerInvites.id });
          // Throwing rolls the new account back with the transaction.
          if (used.length === 0) throw new BadInvite();
        }
        const node = await insertNodeWithinCap(tx, owner!.id, pairing.publicKey, pairing.nodeName, 1);
        const approved = await markApproved(tx, pairing.id, owner!.id, node!.id, now);
        return { kind: 'approved', pairing: approved, node: node!, owner: owner!, token };
      })
      .catch((error: unknown): NewOwnerApproval => {
        if (error instanceof BadInvite) return { kind: 'bad-invite' };
        throw error;
      });
  }

  /**
   * A node's poll with its device code. Sooner than its interval after the last poll is `slow_down`, and the interval
   * grows by {@link SLOW_DOWN_STEP_SECONDS}; an approved pairing is traded, once, for a new owner token of the
   * owner's, bound to the node.
   */
  async poll(deviceCode: string, now = new Date()): Promise<PollResult> {
    return this.db.transaction(async (tx): Promise<PollResult> => {
      const [pairing] = await tx
        .select()
        .from(pairings)
        .where(eq(pairings.deviceCodeHash, sha256Hex(deviceCode)))
        .for('update');
      if (!pairing) return { kind: 'unknown' };
      if (pairing.state === 'used') return { kind: 'used' };
      if (pairing.expiresAt.getTime() <= now.getTime()) return { kind: 'expired' };
      const sinceLastMs = pairing.lastPolledAt ? now.getTime() - pairing.lastPolledAt.getTime() : Infinity;
      if (sinceLastMs < pairing.intervalSeconds * 1000 - POLL_SLACK_MS) {
        const intervalSeconds = pairing.intervalSeconds + SLOW_DOWN_STEP_SECONDS;
        await tx
          .update(pairings)
          .set({ intervalSeconds, lastPolledAt: now })
          .where(eq(pairings.id, pairing.id));
        return { kind: 'slow_down', intervalSeconds };
      }
      if (pairing.state === 'pending' || !pairing.ownerId || !pairing.nodeId) {
        await tx.update(pairings).set({ lastPolledAt: now }).where(eq(pairings.id, pairing.id));
        return { kind: 'pending', intervalSeconds: pairing.intervalSeconds };
      }
      const ownerToken = newSecret('gow');
      await tx.insert(ownerTokens).values({
        id: newId('otk'),
        ownerId: pairing.ownerId,
        nodeId: pairing.nodeId,
        tokenHash: sha256Hex(ownerToken),
        createdAt: now,
      });
      await tx
        .update(pairings)
        .set({ state: 'used', usedAt: now, lastPolledAt: now })
        .where(eq(pairings.id, pairing.id));
      return { kind: 'approved', nodeId: pairing.nodeId, ownerId: pairing.ownerId, ownerToken };
    });
  }

  /** Makes an invite code valid until `expiresAt`; returns it (shown once) with its row. */
  async createInvite(note: string | null, expiresAt: Date): Promise<{ code: string; row: OwnerInviteRow }> {
    const code = newSecret('gin');
    const [row] = await this.db
      .insert(ownerInvites)
      .values({ id: newId('inv'), codeHash: sha256Hex(code), note, expiresAt })
      .returning();
    return { code, row: row! };
  }

  /** Every invite code's row, newest first. */
  listInvites(): Promise<OwnerInviteRow[]> {
    return this.db
      .select()
      .from(ownerInvites)
      .orderBy(sql`${ownerInvites.createdAt} desc`);
  }
}

/** Thrown inside a transaction to roll it back when an invite code does not hold. */
class BadInvite extends Error {}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** The pending, unexpired pairing with `userCode`, locked; undefined for a code that cannot be one. */
async function lockPending(tx: Tx, userCode: string, now: Date): Promise<PairingRow | undefined> {
  const code = normalizeUserCode(userCode);
  if (code === undefined) return undefined;
  const [pairing] = await tx
    .select()
    .from(pairings)
    .where(
      and(
        eq(pairings.userCodeHash, sha256Hex(code)),
        eq(pairings.state, 'pending'),
        gt(pairings.expiresAt, now),
      ),
    )
    .for('update');
  return pairing;
}

async function markApproved(
  tx: Tx,
  id: string,
  ownerId: string,
  nodeId: string,
  now: Date,
): Promise<PairingRow> {
  const [row] = await tx
    .update(pairings)
    .set({ state: 'approved', ownerId, nodeId, approvedAt: now })
    .where(eq(pairings.id, id))
    .returning();
  return row!;
}
