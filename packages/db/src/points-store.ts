import { and, asc, desc, eq, inArray, isNotNull, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from './database.js';
import { duplicates, epochs, owners, pointsLedger, records, recordWithdrawals, urls } from './schema.js';

/** An owner's points by state. Credits only: `pending + settled + voided = credited` always holds. */
export interface PointsTotals {
  credited: number;
  pending: number;
  settled: number;
  voided: number;
  /** Settled points taken back later (negative entries), 0 or less. */
  reversed: number;
}

/**
 * One row of an owner's earnings, grouped by the day (UTC) the entries were written, the epoch they settled in, the
 * campaign and the node. Like {@link PointsTotals}: `pending + settled + voided = credited`; `reversed` (0 or less)
 * is settled points taken back by later entries.
 */
export interface EarningsRow {
  day: string;
  epochId: number | null;
  campaignId: string | null;
  nodeId: string;
  credited: number;
  pending: number;
  settled: number;
  voided: number;
  reversed: number;
}

/** A settled balance in an epoch. */
export interface EpochBalance {
  ownerId: string;
  amount: number;
}

/** What became of a node's fetch, as far as the database knows it (see {@link PointsStore.nodeOutcomes}). */
export type NodeOutcomeKind = 'record' | 'duplicate' | 'rejected';

/** Where a fetch's point stands: its credit's state, `reversed` once taken back, `none` when it earned none. */
export type OutcomePointsStatus = 'pending' | 'settled' | 'voided' | 'reversed' | 'none';

/**
 * One outcome of a node's fetch: its record (withdrawn ones are `rejected`, with the withdrawal's reason) or its
 * duplicate, with the point it earned. `changedAt` is the last change (written, settled, voided, withdrawn,
 * reversed); `cursor` is its position in {@link PointsStore.nodeOutcomes}' order.
 */
export interface NodeOutcome {
  cursor: string;
  /** `record:<record id>` or `duplicate:<id>`: the same key each time the outcome changes. */
  key: string;
  changedAt: Date;
  /** The job id the node saw (the signed result's), or null for rows written before provenance was kept. */
  jobId: string | null;
  campaignId: string;
  url: string;
  finalUrl: string;
  fetchedAt: Date;
  outcome: NodeOutcomeKind;
  reason: string | null;
  recordId: string | null;
  points: number;
  pointsStatus: OutcomePointsStatus;
}

/** Where a page of {@link PointsStore.nodeOutcomes} starts. */
export interface NodeOutcomesQuery {
  /** Outcomes changed at or after this instant. */
  since?: Date;
  /** The `cursor` of the last outcome of the previous page: the page starts after it. */
  after?: string;
  /** Most outcomes. */
  limit: number;
}

/** The state of a campaign's URL, for a node that fetched it (see {@link PointsStore.urlStates}). */
export interface UrlStateRow {
  campaignId: string;
  urlHash: string;
  url: string;
  state: string;
  errorCode: string | null;
  errorMessage: string | null;
  httpStatus: number | null;
  updatedAt: Date;
}

/** Parses an outcome cursor (`<microseconds>:<key>`); undefined when it is not one. */
export function parseOutcomeCursor(cursor: string): { us: string; key: string } | undefined {
  const match = /^(\d{1,19}):((?:record|duplicate):.{1,128})$/.exec(cursor);
  return match ? { us: match[1]!, key: match[2]! } : undefined;
}

/** What the {@link PointsStore} runs its statements on: the database, or a transaction. */
export type PointsDb = Pick<
  Db,
  'select' | 'selectDistinct' | 'update' | 'insert' | 'execute' | 'transaction'
>;

/**
 * The epoch an entry settling now goes into: the one asked for, or the first after the last closed epoch if that
 * one is closed already (a sweep that began before an epoch closed never adds to the published balances).
 */
function openEpochAtLeast(epochId: number) {
  return sql<number>`greatest(${epochId}::int, coalesce((select max(${epochs.id}) + 1 from ${epochs} where ${epochs.closedAt} is not null), 0))`;
}

/**
 * The points ledger's one writer after a record is credited (record-store.ts writes the credit with its record):
 * settling, voiding and reversing, and the sums read from it. Entries are never deleted; a settled credit never
 * changes (a reversal is a new entry).
 */
export class PointsStore {
  constructor(private readonly db: PointsDb) {}

  /** Nodes with pending credits (the settle sweep's work list), at most `limit`. */
  async nodesWithPending(limit = 1000): Promise<string[]> {
    const rows = await this.db
      .selectDistinct({ nodeId: pointsLedger.nodeId })
      .from(pointsLedger)
      .where(eq(pointsLedger.status, 'pending'))
      .limit(limit);
    return rows.map((row) => row.nodeId);
  }

  /**
   * Settles a node's pending credits made at or before `creditedBefore`, in `epochId` (or the first epoch not yet
   * closed, if later), oldest first. With `maxPerOwnerPerEpoch`, the credits settled into that epoch for the node's
   * owner (all its nodes; reversals do not make room) stop at the cap; the rest stay pending for a later epoch.
   * Returns the points settled.
   */
  async settle(
    nodeId: string,
    creditedBefore: Date,
    epochId: number,
    maxPerOwnerPerEpoch = Number.POSITIVE_INFINITY,
  ): Promise<number> {
    const due = and(
      eq(pointsLedger.nodeId, nodeId),
      eq(pointsLedger.status, 'pending'),
      lte(pointsLedger.createdAt, creditedBefore),
    );
    if (maxPerOwnerPerEpoch === Number.POSITIVE_INFINITY) {
      const rows = await this.db
        .update(pointsLedger)
        .set({ status: 'settled', settledAt: new Date(), epochId: openEpochAtLeast(epochId) })
        .where(due)
        .returning({ points: pointsLedger.points });
      return rows.reduce((sum, row) => sum + row.points, 0);
    }
    return this.db.transaction(async (tx) => {
      // Row-exclusive on the ledger conflicts with the share lock an epoch's close takes, so the epoch chosen here
      // stays open until this commits; the advisory lock makes one settle at a time count an owner's cap.
      await tx.execute(sql`lock table ${pointsLedger} in row exclusive mode`);
      const [first] = await tx
        .select({ ownerId: pointsLedger.ownerId })
        .from(pointsLedger)
        .where(due)
        .limit(1);
      if (!first) return 0;
      const { ownerId } = first;
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`points-cap:${ownerId}`}))`);
      const [target] = await tx
        .execute<{ epoch: number }>(sql`select ${openEpochAtLeast(epochId)} as epoch`)
        .then((result) => result.rows);
      const epoch = Number(target!.epoch);
      const [already] = await tx
        .select({ total: sql<string>`coalesce(sum(${pointsLedger.points}), 0)` })
        .from(pointsLedger)
        .where(
          and(
            eq(pointsLedger.ownerId, ownerId),
            eq(pointsLedger.status, 'settled'),
            eq(pointsLedger.epochId, epoch),
            isNull(pointsLedger.reverses),
          ),
        );
      const room = maxPerOwnerPerEpoch - Number(already?.total ?? 0);
      if (room <= 0) return 0;
      // The oldest due credits whose running total fits in the room.
      const fitting = tx.$with('fitting').as(
        tx
          .select({
            id: pointsLedger.id,
            running:
              sql<number>`sum(${pointsLedger.points}) over (order by ${pointsLedger.createdAt}, ${pointsLedger.id})`.as(
                'running',
              ),
          })
          .from(pointsLedger)
          .where(due),
      );
      const rows = await tx
        .with(fitting)
        .update(pointsLedger)
        .set({ status: 'settled', settledAt: new Date(), epochId: epoch })
        .where(
          and(
            due,
            inArray(
              pointsLedger.id,
              tx
                .select({ id: fitting.id })
                .from(fitting)
                .where(sql`${fitting.running} <= ${room}`),
            ),
          ),
        )
        .returning({ points: pointsLedger.points });
      return rows.reduce((sum, row) => sum + row.points, 0);
    });
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
   * Takes back a settled credit: a new, negative, settled entry in `epochId` (or the first epoch not yet closed, if
   * later) that names the one it reverses and why.
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
        epochId: openEpochAtLeast(epochId),
        settledAt: new Date(),
      })
      .onConflictDoNothing()
      .returning({ id: pointsLedger.id });
    return inserted.length > 0;
  }

  /**
   * What became of a node's fetches that the database ties to the node: its records (a withdrawn one is
   * `rejected`) and duplicates, each with its point, ordered by last change (then key), `limit` at a time.
   * Failures and refusals are kept on the URL without the node that fetched it: see {@link urlStates}.
   */
  async nodeOutcomes(nodeId: string, query: NodeOutcomesQuery): Promise<NodeOutcome[]> {
    const after = query.after === undefined ? undefined : parseOutcomeCursor(query.after);
    if (query.after !== undefined && !after) throw new Error(`not an outcome cursor: ${query.after}`);
    const result = await this.db.execute<{
      key: string;
      us: string;
      changed_at: string | Date;
      job_id: string | null;
      campaign_id: string;
      url: string;
      final_url: string;
      fetched_at: string | Date;
      outcome: NodeOutcomeKind;
      reason: string | null;
      record_id: string | null;
      points: number | string;
      points_status: OutcomePointsStatus;
    }>(sql`
      select o.*, (extract(epoch from o.changed_at) * 1000000)::bigint::text as us from (
        select 'record:' || r.id as key, r.provenance->>'jobId' as job_id, r.campaign_id, r.url, r.final_url,
          r.fetched_at,
          case when w.record_id is null then 'record' else 'rejected' end as outcome,
          w.reason, r.id as record_id, coalesce(c.points, 0) as points,
          case when rv.id is not null then 'reversed' when c.id is null then 'none' else c.status end
            as points_status,
          greatest(r.created_at, w.withdrawn_at, c.settled_at, c.voided_at, rv.created_at) as changed_at
        from ${records} r
        left join ${recordWithdrawals} w on w.record_id = r.id
        left join ${pointsLedger} c on c.record_id = r.id
        left join ${pointsLedger} rv on rv.record_id = r.id || ':reversal'
        where r.node_id = ${nodeId}
        union all
        select 'duplicate:' || d.id, d.provenance->>'jobId', d.campaign_id, d.url, d.final_url, d.fetched_at,
          'duplicate', d.kind || ' duplicate of ' || d.original_record_id, null, 0, 'none', d.created_at
        from ${duplicates} d
        where d.node_id = ${nodeId}
      ) o
      where ${query.since === undefined ? sql`true` : sql`o.changed_at >= ${query.since}`}
        and ${
          after === undefined
            ? sql`true`
            : sql`((extract(epoch from o.changed_at) * 1000000)::bigint, o.key) > (${after.us}::bigint, ${after.key})`
        }
      order by o.changed_at, o.key
      limit ${query.limit}
    `);
    return result.rows.map((row) => ({
      cursor: `${row.us}:${row.key}`,
      key: row.key,
      changedAt: new Date(row.changed_at),
      jobId: row.job_id,
      campaignId: row.campaign_id,
      url: row.url,
      finalUrl: row.final_url,
      fetchedAt: new Date(row.fetched_at),
      outcome: row.outcome,
      reason: row.reason,
      recordId: row.record_id,
      points: Number(row.points),
      pointsStatus: row.points_status,
    }));
  }

  /**
   * The state of campaign URLs by URL hash (the frontier's `urlHash`): what a node asks about the pages it fetched
   * that have no outcome of their own, since a URL's failure is kept on the URL, not with the node that fetched it.
   * Unknown URLs are left out.
   */
  async urlStates(items: readonly { campaignId: string; urlHash: string }[]): Promise<UrlStateRow[]> {
    if (items.length === 0) return [];
    return this.db
      .select({
        campaignId: urls.campaignId,
        urlHash: urls.urlHash,
        url: urls.url,
        state: urls.state,
        errorCode: urls.errorCode,
        errorMessage: urls.errorMessage,
        httpStatus: urls.httpStatus,
        updatedAt: urls.updatedAt,
      })
      .from(urls)
      .where(
        or(...items.map((item) => and(eq(urls.campaignId, item.campaignId), eq(urls.urlHash, item.urlHash)))),
      );
  }

  /** An owner's totals by state. */
  async totals(ownerId: string): Promise<PointsTotals> {
    const [row] = await this.db.select(stateSums).from(pointsLedger).where(eq(pointsLedger.ownerId, ownerId));
    return row ? sumsToNumbers(row) : { credited: 0, pending: 0, settled: 0, voided: 0, reversed: 0 };
  }

  /** The whole ledger's totals by state, every owner together (for metrics: one scan of the ledger). */
  async networkTotals(): Promise<PointsTotals> {
    const [row] = await this.db.select(stateSums).from(pointsLedger);
    return row ? sumsToNumbers(row) : { credited: 0, pending: 0, settled: 0, voided: 0, reversed: 0 };
  }

  /**
   * An owner's earnings written since `since`, by UTC day, epoch, campaign and node, newest day first. A credit's
   * campaign is its record's when the entry does not name one.
   */
  async earnings(ownerId: string, since: Date): Promise<EarningsRow[]> {
    const day = sql<string>`to_char(${pointsLedger.createdAt} at time zone 'UTC', 'YYYY-MM-DD')`;
    const campaignId = sql<string | null>`coalesce(${pointsLedger.campaignId}, ${records.campaignId})`;
    const rows = await this.db
      .select({
        day,
        epochId: pointsLedger.epochId,
        campaignId,
        nodeId: pointsLedger.nodeId,
        ...stateSums,
      })
      .from(pointsLedger)
      // A reversal's record id is its credit's with a suffix (see reverse).
      .leftJoin(records, eq(records.id, sql`split_part(${pointsLedger.recordId}, ':', 1)`))
      .where(and(eq(pointsLedger.ownerId, ownerId), sql`${pointsLedger.createdAt} >= ${since}`))
      .groupBy(day, pointsLedger.epochId, campaignId, pointsLedger.nodeId)
      .orderBy(desc(day), asc(pointsLedger.nodeId));
    return rows.map((row) => ({
      day: row.day,
      epochId: row.epochId,
      campaignId: row.campaignId,
      nodeId: row.nodeId,
      ...sumsToNumbers(row),
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

  /**
   * The owners who opted in (a display name) and are not banned, by settled points (reversals taken off), most
   * first; owners with nothing settled are left out.
   */
  async leaderboard(limit = 50): Promise<{ displayName: string; settled: number }[]> {
    const settled = sql<string>`coalesce(sum(${pointsLedger.points}) filter (where ${pointsLedger.status} = 'settled'), 0)`;
    const rows = await this.db
      .select({ displayName: owners.displayName, settled })
      .from(owners)
      .innerJoin(pointsLedger, eq(pointsLedger.ownerId, owners.id))
      .where(and(isNotNull(owners.displayName), isNull(owners.bannedAt)))
      .groupBy(owners.id, owners.displayName)
      .having(sql`${settled} > 0`)
      .orderBy(desc(settled), asc(owners.displayName))
      .limit(limit);
    return rows.map((row) => ({ displayName: row.displayName!, settled: Number(row.settled) }));
  }

  /** Sets the name an owner shows on the leaderboard (null leaves it). Returns false for an unknown owner. */
  async setDisplayName(ownerId: string, displayName: string | null): Promise<boolean> {
    const updated = await this.db
      .update(owners)
      .set({ displayName })
      .where(eq(owners.id, ownerId))
      .returning({ id: owners.id });
    return updated.length > 0;
  }

  /** The earliest epoch any points settled in, or undefined when none did. */
  async firstSettledEpoch(): Promise<number | undefined> {
    const [row] = await this.db
      .select({ first: sql<number | null>`min(${pointsLedger.epochId})` })
      .from(pointsLedger)
      .where(eq(pointsLedger.status, 'settled'));
    return row?.first ?? undefined;
  }
}

const sumWhere = (condition: SQL) =>
  sql<string>`coalesce(sum(${pointsLedger.points}) filter (where ${condition}), 0)`;

/** The ledger's sums by state; a reversal (an entry that `reverses` another) counts as `reversed` only. */
const stateSums = {
  credited: sumWhere(sql`${pointsLedger.reverses} is null`),
  pending: sumWhere(sql`${pointsLedger.status} = 'pending'`),
  settled: sumWhere(sql`${pointsLedger.status} = 'settled' and ${pointsLedger.reverses} is null`),
  voided: sumWhere(sql`${pointsLedger.status} = 'voided'`),
  reversed: sumWhere(sql`${pointsLedger.reverses} is not null`),
};

function sumsToNumbers(row: Record<keyof typeof stateSums, string>): PointsTotals {
  return {
    credited: Number(row.credited),
    pending: Number(row.pending),
    settled: Number(row.settled),
    voided: Number(row.voided),
    reversed: Number(row.reversed),
  };
}
