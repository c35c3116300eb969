import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from './database.js';
import { datasets, duplicates, records } from './schema.js';

/** A dataset row. */
export type DatasetRow = typeof datasets.$inferSelect;

/** What a lab sees about a dataset. */
export interface DatasetSummary extends DatasetRow {
  records: number;
  duplicates: number;
  textBytes: number;
  languages: Record<string, number>;
  hosts: Record<string, number>;
  firstFetchedAt: string | null;
  lastFetchedAt: string | null;
}

/** A position in a dataset's feed: the last record returned. */
export interface FeedCursor {
  txid: bigint;
  seq: number;
}

/** One page of the live feed. */
export interface FeedPage {
  records: (typeof records.$inferSelect)[];
  /** Pass back to continue; equal to the given cursor when nothing new was visible. */
  next: FeedCursor;
}

/** Encodes a feed cursor as an opaque URL-safe string. */
export function encodeCursor(cursor: FeedCursor): string {
  return Buffer.from(`${cursor.txid}.${cursor.seq}`, 'utf8').toString('base64url');
}

/** Decodes a cursor from {@link encodeCursor}; returns undefined for anything malformed. */
export function decodeCursor(text: string): FeedCursor | undefined {
  const match = /^(\d{1,19})\.(\d{1,15})$/.exec(Buffer.from(text, 'base64url').toString('utf8'));
  if (!match) return undefined;
  return { txid: BigInt(match[1]!), seq: Number(match[2]) };
}

/** The feed's starting point. */
export const FEED_START: FeedCursor = { txid: 0n, seq: 0 };

/** Datasets: listing, summaries and the live feed. */
export class DatasetStore {
  constructor(private readonly db: Db) {}

  /** All datasets, newest first. */
  list(): Promise<DatasetRow[]> {
    return this.db.select().from(datasets).orderBy(desc(datasets.createdAt));
  }

  /** A dataset with its counts, bytes, languages, hosts and date range; undefined if unknown. */
  async summary(id: string): Promise<DatasetSummary | undefined> {
    const [row] = await this.db.select().from(datasets).where(eq(datasets.id, id));
    if (!row) return undefined;
    const [totals] = await this.db
      .select({
        n: sql<string>`count(*)`,
        bytes: sql<string>`coalesce(sum(${records.textBytes}), 0)`,
        first: sql<Date | null>`min(${records.fetchedAt})`,
        last: sql<Date | null>`max(${records.fetchedAt})`,
      })
      .from(records)
      .where(eq(records.datasetId, id));
    const [dups] = await this.db
      .select({ n: sql<string>`count(*)` })
      .from(duplicates)
      .where(eq(duplicates.datasetId, id));
    const languages = await this.db
      .select({ key: sql<string>`coalesce(${records.language}, 'und')`, n: sql<string>`count(*)` })
      .from(records)
      .where(eq(records.datasetId, id))
      .groupBy(sql`1`);
    const hosts = await this.db
      .select({ key: records.host, n: sql<string>`count(*)` })
      .from(records)
      .where(eq(records.datasetId, id))
      .groupBy(records.host);
    const toIso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
    return {
      ...row,
      records: Number(totals?.n ?? 0),
      duplicates: Number(dups?.n ?? 0),
      textBytes: Number(totals?.bytes ?? 0),
      languages: Object.fromEntries(languages.map((l) => [l.key, Number(l.n)])),
      hosts: Object.fromEntries(hosts.map((h) => [h.key, Number(h.n)])),
      firstFetchedAt: toIso(totals?.first),
      lastFetchedAt: toIso(totals?.last),
    };
  }

  /**
   * Reads up to `limit` records after `cursor`, in (txid, seq) order, only from transactions older than every
   * transaction still running — so a record that commits late can never land behind a cursor already handed out.
   */
  async feed(datasetId: string, cursor: FeedCursor, limit: number): Promise<FeedPage> {
    const rows = await this.db
      .select()
      .from(records)
      .where(
        and(
          eq(records.datasetId, datasetId),
          sql`(${records.txid}, ${records.seq}) > (${cursor.txid.toString()}::bigint, ${cursor.seq}::bigint)`,
          sql`${records.txid} < txid_snapshot_xmin(txid_current_snapshot())`,
        ),
      )
      .orderBy(records.txid, records.seq)
      .limit(limit);
    const last = rows.at(-1);
    return { records: rows, next: last ? { txid: last.txid, seq: last.seq } : cursor };
  }
}
