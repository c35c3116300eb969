import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { newId, type SiteSignals } from '@gleaner/core';
import type { Db } from './database.js';
import {
  duplicates,
  nodes,
  pointsLedger,
  records,
  recordWithdrawals,
  siteRemovals,
  type RecordProvenance,
} from './schema.js';
import { UrlStore, type UrlValidators } from './url-store.js';

/** A dataset record. */
export type RecordRow = typeof records.$inferSelect;

/** A withdrawn record's tombstone, as the feed serves it. */
export interface Tombstone {
  recordId: string;
  datasetId: string;
  reason: string;
  withdrawnAt: Date;
}

/** Everything the pipeline knows about an extracted page. */
export interface PageToAccept {
  datasetId: string;
  campaignId: string;
  urlId: number;
  url: string;
  finalUrl: string;
  host: string;
  status: number;
  contentType: string | null;
  fetchedAt: Date;
  nodeId: string;
  ownerId: string;
  bodySha256: string;
  blobKey: string;
  /** The signed fetch the page came from (kept on its record or duplicate link). */
  provenance?: RecordProvenance;
  /** The response headers, lower-case names; `set-cookie` never belongs here. */
  httpHeaders?: Record<string, string>;
  /** How robots.txt allowed the fetch (`allowed`, `allowed:no-robots-txt`), published with the record. */
  robots?: string;
  /** What the site said of the page besides robots.txt (robots directives, TDMRep), published with the record. */
  siteSignals?: SiteSignals;
  title: string | null;
  text: string;
  markdown: string;
  language: string | null;
  textHash: string;
  metadata: unknown;
  quality?: unknown;
  fields?: unknown;
  fieldErrors?: unknown;
  /** The campaign round that fetched the page (absent means 0, the first crawl). */
  round?: number;
  /**
   * The response's `ETag` and `Last-Modified`, kept on the URL (not the record) for its next conditional fetch;
   * absent ones are cleared. Left as they are when not given.
   */
  validators?: UrlValidators;
}

/** What became of a page. */
export type AcceptOutcome =
  | { kind: 'accepted'; recordId: string }
  | { kind: 'duplicate'; originalRecordId: string }
  | { kind: 'already-done' };

/** The reason a removed host's records are withdrawn with (their tombstones carry it). */
export const SITE_REMOVED_REASON = "site removed at its owner's request";

/** Points credited for one accepted record. */
export const POINTS_PER_RECORD = 1;

/** Writes records, duplicates and points — each exactly once, whatever is retried. */
export class RecordStore {
  constructor(private readonly db: Db) {}

  /**
   * Accepts a page into its dataset in one transaction: a new record plus its points entry, or a duplicate
   * linked to the record with the same text. A retried call for a URL already handled changes nothing.
   */
  async accept(page: PageToAccept): Promise<AcceptOutcome> {
    const round = page.round ?? 0;
    return this.db.transaction(async (tx) => {
      if (await this.handledInRound(tx, page.urlId, round)) return { kind: 'already-done' } as const;
      const [{ versions } = { versions: 0 }] = await tx
        .select({ versions: sql<number>`count(*)::int` })
        .from(records)
        .where(eq(records.urlId, page.urlId));

      const recordId = newId('rec');
      const { validators: _validators, ...fields } = page;
      const inserted = await tx
        .insert(records)
        .values({
          ...fields,
          round,
          version: versions + 1,
          id: recordId,
          textBytes: Buffer.byteLength(page.text, 'utf8'),
        })
        .onConflictDoNothing()
        .returning({ id: records.id });
      if (inserted.length > 0) {
        const banReason = await this.banReasonOf(tx, page.nodeId);
        const removed = await this.hostRemoved(tx, page.host);
        await tx
          .insert(pointsLedger)
          .values({
            ownerId: page.ownerId,
            nodeId: page.nodeId,
            recordId,
            campaignId: page.campaignId,
            points: POINTS_PER_RECORD,
            reason: 'record-accepted',
            ...(banReason === undefined ? {} : { status: 'voided' as const, voidedAt: new Date() }),
          })
          .onConflictDoNothing();
        if (banReason !== undefined || removed)
          await tx
            .insert(recordWithdrawals)
            .values({
              recordId,
              datasetId: page.datasetId,
              reason: banReason !== undefined ? `node banned: ${banReason}` : SITE_REMOVED_REASON,
            })
            .onConflictDoNothing();
        await this.finishUrl(tx, page, 'done');
        return { kind: 'accepted', recordId } as const;
      }
      const [original] = await tx
        .select({ id: records.id })
        .from(records)
        .where(and(eq(records.datasetId, page.datasetId), eq(records.textHash, page.textHash)));
      if (!original)
        throw new Error(`record insert for url ${page.urlId} conflicted with no visible original`);
      await this.insertDuplicate(tx, page, original.id, 'exact');
      await this.finishUrl(tx, page, 'duplicate');
      return { kind: 'duplicate', originalRecordId: original.id } as const;
    });
  }

  /**
   * Why the node that fetched a page is banned, if it is. A page of a banned node that was already on its way when
   * the ban was carried out lands withdrawn, its point voided, as the ban would have left it. The row lock orders
   * this against the ban: a ban either waits for this transaction (and then finds the record) or came first.
   */
  private async banReasonOf(tx: Pick<Db, 'select'>, nodeId: string): Promise<string | undefined> {
    const [row] = await tx
      .select({ bannedAt: nodes.bannedAt, banReason: nodes.banReason })
      .from(nodes)
      .where(eq(nodes.id, nodeId))
      .for('share');
    return row?.bannedAt ? (row.banReason ?? 'banned') : undefined;
  }

  /**
   * Whether the page's host was removed by its owner. A page on its way when the removal was verified lands
   * withdrawn: the share lock on the host's requests orders this against the verification's update, which either
   * waits for this transaction (and its withdrawal then finds the record) or came first (and is seen here).
   */
  private async hostRemoved(tx: Pick<Db, 'select'>, host: string): Promise<boolean> {
    const rows = await tx
      .select({ state: siteRemovals.state })
      .from(siteRemovals)
      .where(eq(siteRemovals.host, host))
      .for('share');
    return rows.some((row) => row.state === 'verified');
  }

  /** The latest record a URL produced (its newest version), if any. */
  async recordIdOfUrl(urlId: number): Promise<string | undefined> {
    return (await this.latestOfUrl(urlId))?.id;
  }

  /** A URL's newest record version: its id and normalized-text hash. */
  async latestOfUrl(urlId: number): Promise<{ id: string; textHash: string } | undefined> {
    const [row] = await this.db
      .select({ id: records.id, textHash: records.textHash })
      .from(records)
      .where(eq(records.urlId, urlId))
      .orderBy(desc(records.version))
      .limit(1);
    return row;
  }

  /**
   * Whether this round of a URL was already handled: a record of that round, or (first crawl only) a duplicate
   * link. A refetch in a later round may link the URL as a duplicate again: that link already exists and is kept.
   */
  private async handledInRound(tx: Pick<Db, 'select'>, urlId: number, round: number): Promise<boolean> {
    const [existing] = await tx
      .select({ id: records.id })
      .from(records)
      .where(and(eq(records.urlId, urlId), eq(records.round, round)));
    if (existing) return true;
    if (round > 0) return false;
    const [dupExisting] = await tx
      .select({ id: duplicates.id })
      .from(duplicates)
      .where(eq(duplicates.urlId, urlId));
    return dupExisting !== undefined;
  }

  /** Whether a dataset already holds a record with this normalized-text hash. */
  async hasTextHash(datasetId: string, textHash: string): Promise<boolean> {
    const [row] = await this.db
      .select({ id: records.id })
      .from(records)
      .where(and(eq(records.datasetId, datasetId), eq(records.textHash, textHash)))
      .limit(1);
    return row !== undefined;
  }

  /**
   * Records a near-duplicate: a link to the record it nearly repeats, with the estimated similarity; no record and
   * no points. A retried call for a URL already handled changes nothing.
   */
  async acceptNearDuplicate(
    page: PageToAccept,
    originalRecordId: string,
    similarity: number,
  ): Promise<AcceptOutcome> {
    return this.db.transaction(async (tx) => {
      if (await this.handledInRound(tx, page.urlId, page.round ?? 0))
        return { kind: 'already-done' } as const;
      await this.insertDuplicate(tx, page, originalRecordId, 'near', similarity);
      await this.finishUrl(tx, page, 'duplicate');
      return { kind: 'duplicate', originalRecordId } as const;
    });
  }

  private async insertDuplicate(
    tx: Pick<Db, 'insert'>,
    page: PageToAccept,
    originalRecordId: string,
    kind: 'exact' | 'near',
    similarity?: number,
  ): Promise<void> {
    await tx
      .insert(duplicates)
      .values({
        datasetId: page.datasetId,
        campaignId: page.campaignId,
        urlId: page.urlId,
        url: page.url,
        finalUrl: page.finalUrl,
        nodeId: page.nodeId,
        textHash: page.textHash,
        originalRecordId,
        kind,
        similarity: similarity ?? null,
        bodySha256: page.bodySha256,
        blobKey: page.blobKey,
        provenance: page.provenance ?? null,
        httpHeaders: page.httpHeaders ?? null,
        fetchedAt: page.fetchedAt,
      })
      .onConflictDoNothing();
  }

  /**
   * Withdraws records from their datasets (a banned node's fabrications, an admin's takedown): each leaves its
   * dataset's live feed and summary, and the feed serves a tombstone for it after its original position. Unknown
   * ids are ignored; a record withdrawn before keeps its first tombstone and reason. Returns the tombstone of every
   * known id given, in no particular order. Points are not touched here. `onWithdrawn` runs in the same transaction
   * with the records withdrawn just now (not those withdrawn before), so what it writes commits with them.
   */
  async withdrawRecords(
    recordIds: readonly string[],
    reason: string,
    onWithdrawn?: (fresh: Tombstone[], tx: Pick<Db, 'execute'>) => Promise<unknown>,
  ): Promise<Tombstone[]> {
    const ids = [...new Set(recordIds)];
    if (ids.length === 0) return [];
    return this.db.transaction(async (tx) => {
      // The defaults give each tombstone this transaction's txid and a seq from the records' own sequence.
      const fresh = await tx.execute<{
        record_id: string;
        dataset_id: string;
        reason: string;
        withdrawn_at: Date;
      }>(sql`
        insert into ${recordWithdrawals} (record_id, dataset_id, reason)
        select ${records.id}, ${records.datasetId}, ${reason} from ${records}
        where ${inArray(records.id, ids)} order by ${records.seq}
        on conflict (record_id) do nothing
        returning record_id, dataset_id, reason, withdrawn_at`);
      if (onWithdrawn && fresh.rows.length > 0) {
        const tombstones = fresh.rows.map((row) => ({
          recordId: row.record_id,
          datasetId: row.dataset_id,
          reason: row.reason,
          withdrawnAt: new Date(row.withdrawn_at),
        }));
        await onWithdrawn(tombstones, tx);
      }
      return tx
        .select({
          recordId: recordWithdrawals.recordId,
          datasetId: recordWithdrawals.datasetId,
          reason: recordWithdrawals.reason,
          withdrawnAt: recordWithdrawals.withdrawnAt,
        })
        .from(recordWithdrawals)
        .where(inArray(recordWithdrawals.recordId, ids));
    });
  }

  private async finishUrl(
    tx: Pick<Db, 'select' | 'insert' | 'update'>,
    page: PageToAccept,
    state: 'done' | 'duplicate',
  ): Promise<void> {
    await new UrlStore(tx).markAccepted(page.urlId, state, page.validators);
  }
}
