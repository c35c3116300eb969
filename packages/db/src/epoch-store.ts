import { and, desc, eq, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from './database.js';
import { PointsStore, type EpochBalance } from './points-store.js';
import { epochs, pointsLedger } from './schema.js';

/** The signature over an epoch's publication (see the worker's `epochSigningMessage` for the signed text). */
export interface EpochSignature {
  algorithm: 'ed25519';
  /** First 16 hex digits of the SHA-256 of the signing key's SPKI DER. */
  keyId: string;
  /** The signing public key, SPKI PEM. */
  publicKey: string;
  /** The Ed25519 signature, base64. */
  value: string;
}

/**
 * A closed epoch's published file, stored in `epochs.publication` and never changed: the settled balances, the
 * Merkle tree over them (an `@openzeppelin/merkle-tree` StandardMerkleTree dump over `[ownerId, amount]` leaves,
 * encoded `['string', 'uint256']`; null when no balance was positive), its root and the coordinator's signature.
 */
export interface EpochPublication {
  format: 'gleaner-epoch-v1';
  epochId: number;
  startsAt: string;
  endsAt: string;
  closedAt: string;
  leafEncoding: ['string', 'uint256'];
  /** The tree's root, 0x-hex; 32 zero bytes for an empty epoch (a root no proof can reach). */
  root: string;
  /** Sum of the balances. */
  total: number;
  /** Positive settled balances by owner id, ascending. */
  balances: EpochBalance[];
  tree: unknown;
  signature: EpochSignature;
}

/** An epoch as stored, with its publication typed. */
export type EpochRow = Omit<typeof epochs.$inferSelect, 'publication'> & {
  publication: EpochPublication | null;
};

/**
 * Reward epochs: the one writer of the `epochs` table. An epoch is opened with its bounds, and closed once with the
 * settled balances it then holds; a closed epoch never changes.
 */
export class EpochStore {
  constructor(private readonly db: Db) {}

  /** Records an epoch with its bounds if it is not there yet. */
  async open(id: number, startsAt: Date, endsAt: Date): Promise<void> {
    await this.db.insert(epochs).values({ id, startsAt, endsAt }).onConflictDoNothing();
  }

  /** An epoch, or undefined. */
  async get(id: number): Promise<EpochRow | undefined> {
    const [row] = await this.db.select().from(epochs).where(eq(epochs.id, id));
    return row as EpochRow | undefined;
  }

  /** Epochs newest first, `limit` at a time, before the epoch id `before` (exclusive; omit to start). */
  async list(limit: number, before?: number): Promise<EpochRow[]> {
    const rows = await this.db
      .select()
      .from(epochs)
      .where(before === undefined ? undefined : lt(epochs.id, before))
      .orderBy(desc(epochs.id))
      .limit(limit);
    return rows as EpochRow[];
  }

  /** The newest closed epoch's id, or undefined when none closed. */
  async lastClosedId(): Promise<number | undefined> {
    const [row] = await this.db
      .select({ id: sql<number | null>`max(${epochs.id})` })
      .from(epochs)
      .where(isNotNull(epochs.closedAt));
    return row?.id ?? undefined;
  }

  /**
   * Closes an open epoch: reads its settled balances and stores what `publish` makes of them, in one transaction
   * that holds the ledger still (no settle or reversal lands in between; `PointsStore` sends later ones to the next
   * open epoch). An epoch already closed is returned unchanged, `closed: false`. Throws for an unknown epoch.
   */
  async close(
    id: number,
    publish: (balances: EpochBalance[], closedAt: Date, epoch: EpochRow) => EpochPublication,
  ): Promise<{ epoch: EpochRow; closed: boolean }> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.select().from(epochs).where(eq(epochs.id, id)).for('update');
      if (!row) throw new Error(`epoch ${id} was never opened`);
      if (row.closedAt) return { epoch: row as EpochRow, closed: false };
      await tx.execute(sql`lock table ${pointsLedger} in share mode`);
      const closedAt = new Date();
      const publication = publish(await new PointsStore(tx).epochBalances(id), closedAt, row as EpochRow);
      const [updated] = await tx
        .update(epochs)
        .set({
          closedAt,
          merkleRoot: publication.root,
          totalPoints: publication.total,
          publication,
        })
        .where(and(eq(epochs.id, id), isNull(epochs.closedAt)))
        .returning();
      return { epoch: updated as EpochRow, closed: true };
    });
  }
}
