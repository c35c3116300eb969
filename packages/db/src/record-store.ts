import { and, eq, inArray } from 'drizzle-orm';
import { newId } from '@gleaner/core';
import type { Db } from './database.js';
import { duplicates, pointsLedger, records, urls } from './schema.js';

/** A dataset record. */
export type RecordRow = typeof records.$inferSelect;

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
  title: string | null;
  text: string;
  markdown: string;
  language: string | null;
  textHash: string;
  metadata: unknown;
  quality?: unknown;
  fields?: unknown;
  fieldErrors?: unknown;
}

/** What became of a page. */
export type AcceptOutcome =
  | { kind: 'accepted'; recordId: string }
  | { kind: 'duplicate'; originalRecordId: string }
  | { kind: 'already-done' };

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
    return this.db.transaction(async (tx) => {
      const [existing] = await tx
        .select({ id: records.id })
        .from(records)
        .where(eq(records.urlId, page.urlId));
      if (existing) return { kind: 'already-done' } as const;
      const [dupExisting] = await tx
        .select({ id: duplicates.id })
        .from(duplicates)
        .where(eq(duplicates.urlId, page.urlId));
      if (dupExisting) return { kind: 'already-done' } as const;

      const recordId = newId('rec');
      const inserted = await tx
        .insert(records)
        .values({ ...page, id: recordId, textBytes: Buffer.byteLength(page.text, 'utf8') })
        .onConflictDoNothing()
        .returning({ id: records.id });
      if (inserted.length > 0) {
        await tx
          .insert(pointsLedger)
          .values({
            ownerId: page.ownerId,
            nodeId: page.nodeId,
            recordId,
            points: POINTS_PER_RECORD,
            reason: 'record-accepted',
          })
          .onConflictDoNothing();
        await this.finishUrl(tx, page.urlId, 'done');
        return { kind: 'accepted', recordId } as const;
      }
      const [original] = await tx
        .select({ id: records.id })
        .from(records)
        .where(and(eq(records.datasetId, page.datasetId), eq(records.textHash, page.textHash)));
      if (!original)
        throw new Error(`record insert for url ${page.urlId} conflicted with no visible original`);
      await this.insertDuplicate(tx, page, original.id, 'exact');
      await this.finishUrl(tx, page.urlId, 'duplicate');
      return { kind: 'duplicate', originalRecordId: original.id } as const;
    });
  }

  /** The record a URL produced, if any. */
  async recordIdOfUrl(urlId: number): Promise<string | undefined> {
    const [row] = await this.db.select({ id: records.id }).from(records).where(eq(records.urlId, urlId));
    return row?.id;
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
      const [existing] = await tx
        .select({ id: records.id })
        .from(records)
        .where(eq(records.urlId, page.urlId));
      const [dupExisting] = await tx
        .select({ id: duplicates.id })
        .from(duplicates)
        .where(eq(duplicates.urlId, page.urlId));
      if (existing || dupExisting) return { kind: 'already-done' } as const;
      await this.insertDuplicate(tx, page, originalRecordId, 'near', similarity);
      await this.finishUrl(tx, page.urlId, 'duplicate');
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
        fetchedAt: page.fetchedAt,
      })
      .onConflictDoNothing();
  }

  private async finishUrl(tx: Pick<Db, 'update'>, urlId: number, state: 'done' | 'duplicate'): Promise<void> {
    await tx
      .update(urls)
      .set({ state, updatedAt: new Date() })
      .where(and(eq(urls.id, urlId), inArray(urls.state, ['queued', 'fetched'])));
  }
}
