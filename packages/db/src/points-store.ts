import { and, asc, desc, eq, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import type { Db } from './database.js';
import { owners, pointsLedger } from './schema.js';

/** An owner's points by state. Credits only: `pending + settled + voided = credited` always holds. */
export interface PointsTotals {
  credited: number;
  pending: number;
  settled: number;
  voided: number;
  /** Settled points taken back later (negative entries), 0 or less. */
  reversed: number;
}

/** One row of an owner's earnings, grouped by day (UTC), epoch, campaign and node. */
export interface EarningsRow {
  day: string;
  epochId: number | null;
  campaignId: string | null;
  nodeId: string;
  pending: number;
  settled: number;
  voided: number;
}

/** A settled balance in an epoch. */
export interface EpochBalance {
  ownerId: string;
  amount: number;
}

/**
 * The points ledger's one writer after a record is credited (record-store.ts writes the credit with its record):
 * settling, voiding and reversing, and the sums read from it. Entries are never deleted; a settled credit never
 * changes (a reversal is a new entry).
 */
export class PointsStore {
  constructor(private readonly db: Db) {}

  /** Nodes with pending credits (the settle sweep's work list), at most `limit`. */
  async nodesWithPending(limit = 1000): Promise<string[]> {
    const rows = await this.db
      .selectDistinct({ nodeId: pointsLedger.nodeId })
      .from(pointsLedger)
      .where(eq(pointsLedger.status, 'pending'))
      .limit(limit);
    return rows.map((row) => row.nodeId);
  }

  /** Settles a node's pending credits made at or before `creditedBefore`, in `epochId`. Returns the points settled. */
  async settle(nodeId: string, creditedBefore: Date, epochId: number): Promise<number> {
    const rows = await this.db
      .update(pointsLedger)
      .set({ status: 'settled', settledAt: new Date(), epochId })
      .where(
        and(
          eq(pointsLedger.nodeId, nodeId),
          eq(pointsLedger.status, 'pending'),
          lte(pointsLedger.createdAt, creditedBefore),
        ),
      )
      .returning({ points: pointsLedger.points });
    return rows.reduce((sum, row) => sum + row.points, 0);
  }

  /** Voids every pending credit of a node (it was banned). Returns the points voided. */
  async voidPending(nodeId: string): Promise<number> {
    const rows = await this.db
      .update(pointsLedger)
      .set({ status: 'voided', voidedAt: new Date() })
      .where(and(eq(pointsLedger.nodeId, nodeId), eq(pointsLedger.status, 'pending')))
      .returning({ points: pointsLedger.points });
    return rows.reduce((sum, row) => sum + row.points, 0);
  }

  /**
   * Takes back a settled credit: a new, negative, settled entry in `epochId` that names the one it reverses and why.
   * A credit is reversed at most once. Returns whether an entry was written.
   */
  async reverse(recordId: string, reason: string, epochId: number): Promise<boolean> {
    const [credit] = await this.db
      .select()
      .from(pointsLedger)
      .where(
        and(
          eq(pointsLedger.recordId, recordId),
          eq(pointsLedger.status, 'settled'),
          isNull(pointsLedger.reverses),
        ),
      );
    if (!credit) return false;
    const inserted = await this.db
      .insert(pointsLedger)
      .values({
        ownerId: credit.ownerId,
        nodeId: credit.nodeId,
        recordId: `${recordId}:reversal`,
        campaignId: credit.campaignId,
        points: -credit.points,
        reason,
        status: 'settled',
        reverses: credit.id,
        epochId,
        settledAt: new Date(),
      })
      .onConflictDoNothing()
      .returning({ id: pointsLedger.id });
    return inserted.length > 0;
  }

  /** An owner's totals by state. */
  async totals(ownerId: string): Promise<PointsTotals> {
    const [row] = await this.db
      .select({
        credited: sql<string>`coalesce(sum(${pointsLedger.points}) filter (where ${pointsLedger.reverses} is null), 0)`,
        pending: sql<string>`coalesce(sum(${pointsLedger.points}) filter (where ${pointsLedger.status} = 'pending'), 0)`,
        settled: sql<string>`coalesce(sum(${pointsLedger.points}) filter (where ${pointsLedger.status} = 'settled' and ${pointsLedger.reverses} is null), 0)`,
        voided: sql<string>`coalesce(sum(${pointsLedger.points}) filter (where ${pointsLedger.status} = 'voided'), 0)`,
        reversed: sql<string>`coalesce(sum(${pointsLedger.points}) filter (where ${pointsLedger.reverses} is not null), 0)`,
      })
      .from(pointsLedger)
      .where(eq(pointsLedger.ownerId, ownerId));
    return {
      credited: Number(row?.credited ?? 0),
      pending: Number(row?.pending ?? 0),
      settled: Number(row?.settled ?? 0),
      voided: Number(row?.voided ?? 0),
      reversed: Number(row?.reversed ?? 0),
    };
  }

  /** An owner's earnings since `since`, by UTC day, epoch, campaign and node. */
  async earnings(ownerId: string, since: Date): Promise<EarningsRow[]> {
    const day = sql<string>`to_char(${pointsLedger.createdAt} at time zone 'UTC', 'YYYY-MM-DD')`;
    const rows = await this.db
      .select({
        day,
        epochId: pointsLedger.epochId,
        campaignId: pointsLedger.campaignId,
        nodeId: pointsLedger.nodeId,
        pending: sql<string>`coalesce(sum(${pointsLedger.points}) filter (where ${pointsLedger.status} = 'pending'), 0)`,
        settled: sql<string>`coalesce(sum(${pointsLedger.points}) filter (where ${pointsLedger.status} = 'settled'), 0)`,
        voided: sql<string>`coalesce(sum(${pointsLedger.points}) filter (where ${pointsLedger.status} = 'voided'), 0)`,
      })
      .from(pointsLedger)
      .where(and(eq(pointsLedger.ownerId, ownerId), sql`${pointsLedger.createdAt} >= ${since}`))
      .groupBy(day, pointsLedger.epochId, pointsLedger.campaignId, pointsLedger.nodeId)
      .orderBy(desc(day));
    return rows.map((row) => ({
      ...row,
      pending: Number(row.pending),
      settled: Number(row.settled),
      voided: Number(row.voided),
    }));
  }

  /** Settled balances of an epoch per owner (reversals included), positive ones only, by owner id. */
  async epochBalances(epochId: number): Promise<EpochBalance[]> {
    const rows = await this.db
      .select({ ownerId: pointsLedger.ownerId, amount: sql<string>`sum(${pointsLedger.points})` })
      .from(pointsLedger)
      .where(and(eq(pointsLedger.status, 'settled'), eq(pointsLedger.epochId, epochId)))
      .groupBy(pointsLedger.ownerId)
      .orderBy(asc(pointsLedger.ownerId));
    return rows
      .map((row) => ({ ownerId: row.ownerId, amount: Number(row.amount) }))
      .filter((b) => b.amount > 0);
  }

  /** The owners who opted in (a display name), by settled points, most first. */
  async leaderboard(limit = 50): Promise<{ displayName: string; settled: number }[]> {
    const settled = sql<string>`coalesce(sum(${pointsLedger.points}) filter (where ${pointsLedger.status} = 'settled'), 0)`;
    const rows = await this.db
      .select({ displayName: owners.displayName, settled })
      .from(owners)
      .innerJoin(pointsLedger, eq(pointsLedger.ownerId, owners.id))
      .where(and(isNotNull(owners.displayName), isNull(owners.bannedAt)))
      .groupBy(owners.id, owners.displayName)
      .orderBy(desc(settled))
      .limit(limit);
    return rows.map((row) => ({ displayName: row.displayName!, settled: Number(row.settled) }));
  }
}
