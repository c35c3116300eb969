import { and, desc, eq, gte, sql, type SQL } from 'drizzle-orm';
import type { Db } from './database.js';
import type { FeedCursor } from './feed-cursor.js';
import { datasets, duplicates, records, recordWithdrawals } from './schema.js';

/** A dataset row. */
export type DatasetRow = typeof datasets.$inferSelect;
/** A withdrawn record's tombstone as stored. */
export type TombstoneRow = typeof recordWithdrawals.$inferSelect;

/** What a lab sees about a dataset. */
export interface DatasetSummary extends DatasetRow {
  /** Live records: withdrawn ones are not counted here, nor in the bytes, languages, hosts and dates. */
  records: number;
  withdrawn: number;
  duplicates: number;
  textBytes: number;
  languages: Record<string, number>;
  hosts: Record<string, number>;
  firstFetchedAt: string | null;
  lastFetchedAt: string | null;
}

/** Which records a feed page returns; every filter is off when absent. Tombstones follow the same filters. */
export interface FeedFilter {
  /** A language tag: `en` matches `en` and any `en-*`; `en-GB` only itself (case-insensitive). */
  language?: string;
  /** The record's host (as in its final URL, lower case, with a port when not the default). */
  host?: string;
  /**
   * Least `quality.lineEndPunctuationRatio` (FineWeb's share of lines ending in terminal punctuation, 0 to 1):
   * running text scores high, menus, lists and link farms low. Records without quality signals are left out.
   */
  minQuality?: number;
  /** Only records fetched at or after this instant. */
  fetchedSince?: Date;
  /** Only records of this campaign round (0: the first crawl). */
  round?: number;
}

/** One line of the feed: a live record, or the tombstone of a withdrawn one. */
export type FeedEntry =
  { type: 'record'; record: typeof records.$inferSelect } | { type: 'tombstone'; tombstone: TombstoneRow };

/** One page of the live feed. */
export interface FeedPage {
  entries: FeedEntry[];
  /** Pass back to continue; equal to the given cursor when nothing new was visible. */
  next: FeedCursor;
}

/** True for records that no tombstone withdrew. */
const notWithdrawn = sql`not exists (select 1 from ${recordWithdrawals} where ${recordWithdrawals.recordId} = ${records.id})`;

/** The conditions of a filter on the records table. */
function filterConditions(filter: FeedFilter): SQL[] {
  const conditions: SQL[] = [];
  if (filter.language !== undefined) {
    const tag = filter.language.toLowerCase();
    conditions.push(
      sql`(lower(${records.language}) = ${tag} or lower(${records.language}) like ${`${tag}-%`})`,
    );
  }
  if (filter.host !== undefined) conditions.push(eq(records.host, filter.host.toLowerCase()));
  if (filter.minQuality !== undefined)
    conditions.push(sql`(${records.quality}->>'lineEndPunctuationRatio')::float8 >= ${filter.minQuality}`);
  if (filter.fetchedSince !== undefined) conditions.push(gte(records.fetchedAt, filter.fetchedSince));
  if (filter.round !== undefined) conditions.push(eq(records.round, filter.round));
  return conditions;
}

/** Rows strictly after `cursor` in (txid, seq) order, and from transactions below `horizon`. */
function window(
  table: typeof records | typeof recordWithdrawals,
  cursor: FeedCursor,
  horizon: bigint,
): SQL[] {
  return [
    sql`(${table.txid}, ${table.seq}) > (${cursor.txid.toString()}::bigint, ${cursor.seq}::bigint)`,
    sql`${table.txid} < ${horizon.toString()}::bigint`,
  ];
}

const position = (entry: FeedEntry) => (entry.type === 'record' ? entry.record : entry.tombstone);

/** Orders feed entries by (txid, seq). */
function byPosition(a: FeedEntry, b: FeedEntry): number {
  const pa = position(a);
  const pb = position(b);
  if (pa.txid !== pb.txid) return pa.txid < pb.txid ? -1 : 1;
  return pa.seq - pb.seq;
}

/** Datasets: listing, summaries and the live feed. */
export class DatasetStore {
  constructor(private readonly db: Db) {}

  /** All datasets, newest first. */
  list(): Promise<DatasetRow[]> {
    return this.db.select().from(datasets).orderBy(desc(datasets.createdAt));
  }

  /** Whether a dataset exists. */
  async exists(id: string): Promise<boolean> {
    const [row] = await this.db.select({ id: datasets.id }).from(datasets).where(eq(datasets.id, id));
    return row !== undefined;
  }

  /** A dataset's row; undefined if unknown. */
  async get(id: string): Promise<DatasetRow | undefined> {
    const [row] = await this.db.select().from(datasets).where(eq(datasets.id, id));
    return row;
  }

  /** A dataset with its counts, bytes, languages, hosts and date range; undefined if unknown. */
  async summary(id: string): Promise<DatasetSummary | undefined> {
    const row = await this.get(id);
    if (!row) return undefined;
    const live = and(eq(records.datasetId, id), notWithdrawn);
    const [totals] = await this.db
      .select({
        n: sql<string>`count(*)`,
        bytes: sql<string>`coalesce(sum(${records.textBytes}), 0)`,
        first: sql<Date | null>`min(${records.fetchedAt})`,
        last: sql<Date | null>`max(${records.fetchedAt})`,
      })
      .from(records)
      .where(live);
    const [withdrawn] = await this.db
      .select({ n: sql<string>`count(*)` })
      .from(recordWithdrawals)
      .where(eq(recordWithdrawals.datasetId, id));
    const [dups] = await this.db
      .select({ n: sql<string>`count(*)` })
      .from(duplicates)
      .where(eq(duplicates.datasetId, id));
    const languages = await this.db
      .select({ key: sql<string>`coalesce(${records.language}, 'und')`, n: sql<string>`count(*)` })
      .from(records)
      .where(live)
      .groupBy(sql`1`);
    const hosts = await this.db
      .select({ key: records.host, n: sql<string>`count(*)` })
      .from(records)
      .where(live)
      .groupBy(records.host);
    const toIso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
    return {
      ...row,
      records: Number(totals?.n ?? 0),
      withdrawn: Number(withdrawn?.n ?? 0),
      duplicates: Number(dups?.n ?? 0),
      textBytes: Number(totals?.bytes ?? 0),
      languages: Object.fromEntries(languages.map((l) => [l.key, Number(l.n)])),
      hosts: Object.fromEntries(hosts.map((h) => [h.key, Number(h.n)])),
      firstFetchedAt: toIso(totals?.first),
      lastFetchedAt: toIso(totals?.last),
    };
  }

  /**
   * Reads up to `limit` feed lines after `cursor` in (txid, seq) order: live records matching `filter`, and the
   * tombstones of withdrawn records that match it. Only rows of transactions older than every transaction still
   * running are read, so a row that commits late never lands behind a cursor already handed out; a tombstone's
   * transaction came after its record's, so it always sorts after it.
   */
  async feed(
    datasetId: string,
    cursor: FeedCursor,
    limit: number,
    filter: FeedFilter = {},
  ): Promise<FeedPage> {
    // One horizon for both reads: each statement would otherwise take its own snapshot, and a later, higher
    // horizon in the tombstone read could let the cursor pass records the first read could not yet see.
    const { rows } = await this.db.execute<{ horizon: string }>(
      sql`select txid_snapshot_xmin(txid_current_snapshot())::text as horizon`,
    );
    const below = BigInt(rows[0]!.horizon);
    const conditions = filterConditions(filter);
    const live = await this.db
      .select()
      .from(records)
      .where(
        and(eq(records.datasetId, datasetId), ...window(records, cursor, below), notWithdrawn, ...conditions),
      )
      .orderBy(records.txid, records.seq)
      .limit(limit);
    const withdrawn = await this.db
      .select({ tombstone: recordWithdrawals })
      .from(recordWithdrawals)
      .innerJoin(records, eq(records.id, recordWithdrawals.recordId))
      .where(
        and(
          eq(recordWithdrawals.datasetId, datasetId),
          ...window(recordWithdrawals, cursor, below),
          ...conditions,
        ),
      )
      .orderBy(recordWithdrawals.txid, recordWithdrawals.seq)
      .limit(limit);
    const entries = [
      ...live.map((record) => ({ type: 'record' as const, record })),
      ...withdrawn.map(({ tombstone }) => ({ type: 'tombstone' as const, tombstone })),
    ]
      .sort(byPosition)
      .slice(0, limit);
    const last = entries.at(-1);
    return { entries, next: last ? { txid: position(last).txid, seq: position(last).seq } : cursor };
  }

  /** Whether a dataset holds a record, live or withdrawn. */
  async hasRecord(datasetId: string, recordId: string): Promise<boolean> {
    const [row] = await this.db
      .select({ id: records.id })
      .from(records)
      .where(and(eq(records.id, recordId), eq(records.datasetId, datasetId)));
    return row !== undefined;
  }

  /** A live record of a dataset (undefined when unknown, of another dataset, or withdrawn). */
  async liveRecord(datasetId: string, recordId: string): Promise<typeof records.$inferSelect | undefined> {
    const [row] = await this.db
      .select()
      .from(records)
      .where(and(eq(records.id, recordId), eq(records.datasetId, datasetId), notWithdrawn));
    return row;
  }
}
