import { and, asc, desc, eq, gt, lt, ne, sql } from 'drizzle-orm';
import { newId } from '@gleaner/core';
import type { Db } from './database.js';
import { encodeCursor } from './feed-cursor.js';
import { records, recordWithdrawals, snapshots } from './schema.js';

/** A snapshot's row. */
export type SnapshotRow = typeof snapshots.$inferSelect;

/** What asked for a snapshot. */
export type SnapshotTrigger = 'manual' | 'round' | 'schedule';

/** A record as a snapshot packages it: the stored row. */
export type SnapshotSourceRecord = typeof records.$inferSelect;

/** What a published snapshot holds, as its builder reports it. */
export interface PublishedSnapshot {
  records: number;
  bytes: number;
  shards: number;
  merkleRoot: string;
  manifestSha256: string;
  changes: Record<string, number>;
}

/** Records of transactions below `horizon` that no withdrawal below it took back: what a snapshot holds. */
function heldBelow(datasetId: string, horizon: bigint) {
  return and(
    eq(records.datasetId, datasetId),
    lt(records.txid, horizon),
    sql`not exists (select 1 from ${recordWithdrawals} where ${recordWithdrawals.recordId} = ${records.id}
        and ${recordWithdrawals.txid} < ${horizon.toString()}::bigint)`,
  );
}

/**
 * The feed cursor right after a snapshot of this horizon: the feed from there serves exactly what the snapshot does
 * not hold (records and tombstones of later transactions).
 */
export function feedCursorAfter(horizon: bigint): string {
  return encodeCursor({ txid: horizon - 1n, seq: Number.MAX_SAFE_INTEGER });
}

/**
 * Dataset snapshots: requesting one fixes what it holds (the feed's horizon at that moment), the builder reads
 * those records in a stable order, and publishing records what the files hold. A snapshot's contents never change.
 */
export class SnapshotStore {
  constructor(private readonly db: Db) {}

  /** Requests a snapshot of a dataset as it stands now: every record committed so far that is not withdrawn. */
  async request(datasetId: string, trigger: SnapshotTrigger): Promise<SnapshotRow> {
    // The oldest transaction still running: every transaction below it has committed (or rolled back), so the
    // records below it can no longer change, and none of them will commit later.
    const { rows } = await this.db.execute<{ horizon: string }>(
      sql`select txid_snapshot_xmin(txid_current_snapshot())::text as horizon`,
    );
    const [row] = await this.db
      .insert(snapshots)
      .values({ id: newId('snp'), datasetId, trigger, horizon: BigInt(rows[0]!.horizon) })
      .returning();
    return row!;
  }

  /** A snapshot by id. */
  async get(id: string): Promise<SnapshotRow | undefined> {
    const [row] = await this.db.select().from(snapshots).where(eq(snapshots.id, id));
    return row;
  }

  /** A dataset's snapshots, newest first. */
  list(datasetId: string, limit = 100): Promise<SnapshotRow[]> {
    return this.db
      .select()
      .from(snapshots)
      .where(eq(snapshots.datasetId, datasetId))
      .orderBy(desc(snapshots.requestedAt), desc(snapshots.id))
      .limit(limit);
  }

  /** Every snapshot still building, oldest first. */
  listBuilding(): Promise<SnapshotRow[]> {
    return this.db
      .select()
      .from(snapshots)
      .where(eq(snapshots.state, 'building'))
      .orderBy(asc(snapshots.requestedAt));
  }

  /** The newest published snapshot of a dataset, optionally only among those older than `before` (by horizon). */
  async latestPublished(datasetId: string, before?: SnapshotRow): Promise<SnapshotRow | undefined> {
    const [row] = await this.db
      .select()
      .from(snapshots)
      .where(
        and(
          eq(snapshots.datasetId, datasetId),
          eq(snapshots.state, 'published'),
          ...(before ? [ne(snapshots.id, before.id), lt(snapshots.horizon, before.horizon + 1n)] : []),
        ),
      )
      .orderBy(desc(snapshots.horizon), desc(snapshots.publishedAt))
      .limit(1);
    return row;
  }

  /** When the dataset's newest snapshot (in any state) was requested. */
  async lastRequestedAt(datasetId: string): Promise<Date | undefined> {
    const [row] = await this.db
      .select({ at: snapshots.requestedAt })
      .from(snapshots)
      .where(and(eq(snapshots.datasetId, datasetId), ne(snapshots.state, 'failed')))
      .orderBy(desc(snapshots.requestedAt))
      .limit(1);
    return row?.at;
  }

  /** Fixes the snapshot a build compares with; the first build to get here decides, later ones keep its choice. */
  async choosePrevious(id: string, previousId: string | null): Promise<string | null> {
    await this.db
      .update(snapshots)
      .set({ previousId })
      .where(and(eq(snapshots.id, id), sql`${snapshots.previousId} is null`));
    return (await this.get(id))?.previousId ?? null;
  }

  /** The records a snapshot holds, in `seq` order, `limit` at a time after `afterSeq`. */
  recordsOf(snapshot: SnapshotRow, afterSeq: number, limit: number): Promise<SnapshotSourceRecord[]> {
    return this.db
      .select()
      .from(records)
      .where(and(heldBelow(snapshot.datasetId, snapshot.horizon), gt(records.seq, afterSeq)))
      .orderBy(asc(records.seq))
      .limit(limit);
  }

  /** Ids of the dataset's records withdrawn below the snapshot's horizon. */
  async withdrawnIds(snapshot: SnapshotRow): Promise<string[]> {
    const rows = await this.db
      .select({ id: recordWithdrawals.recordId })
      .from(recordWithdrawals)
      .where(
        and(
          eq(recordWithdrawals.datasetId, snapshot.datasetId),
          lt(recordWithdrawals.txid, snapshot.horizon),
        ),
      );
    return rows.map((row) => row.id);
  }

  /** Records a build's files; a snapshot published once stays as it was. */
  async markPublished(id: string, published: PublishedSnapshot): Promise<boolean> {
    const updated = await this.db
      .update(snapshots)
      .set({ ...published, state: 'published', error: null, publishedAt: new Date() })
      .where(and(eq(snapshots.id, id), eq(snapshots.state, 'building')))
      .returning({ id: snapshots.id });
    return updated.length > 0;
  }

  /** Gives up on a build. */
  async markFailed(id: string, error: string): Promise<boolean> {
    const updated = await this.db
      .update(snapshots)
      .set({ state: 'failed', error })
      .where(and(eq(snapshots.id, id), eq(snapshots.state, 'building')))
      .returning({ id: snapshots.id });
    return updated.length > 0;
  }
}
