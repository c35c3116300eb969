import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from './database.js';
import { duplicates, records, UNFINISHED_URL_STATES, urls, type UrlState } from './schema.js';

/** A URL row. */
export type UrlRow = typeof urls.$inferSelect;

/** A URL that passed admission, ready to be stored. */
export interface AdmittedUrl {
  url: string;
  urlHash: string;
  host: string;
  depth: number;
  /** Set to store the URL as `skipped` with this reason instead of queueing it. */
  skipReason?: string;
}

/** Validators of a page's latest response. */
export interface UrlValidators {
  etag: string | undefined;
  lastModified: string | undefined;
}

/** The URL columns a response's validators set (none when not given). */
export function validatorColumns(validators: UrlValidators | undefined) {
  return validators === undefined
    ? {}
    : { etag: validators.etag ?? null, lastModified: validators.lastModified ?? null };
}

/** The per-campaign URL table: admission, state changes and lookups. */
export class UrlStore {
  constructor(private readonly db: Db) {}

  /**
   * Stores admitted URLs (existing ones are left as they are) and returns every one of them still `queued`,
   * so a retried admission re-enqueues exactly what may be missing.
   */
  async admit(campaignId: string, admitted: AdmittedUrl[]): Promise<UrlRow[]> {
    if (admitted.length === 0) return [];
    await this.db
      .insert(urls)
      .values(
        admitted.map(({ skipReason, ...u }) => ({
          ...u,
          campaignId,
          state: skipReason ? ('skipped' as const) : ('queued' as const),
          errorCode: skipReason ?? null,
        })),
      )
      .onConflictDoNothing();
    return this.db
      .select()
      .from(urls)
      .where(
        and(
          eq(urls.campaignId, campaignId),
          eq(urls.state, 'queued'),
          inArray(
            urls.urlHash,
            admitted.map((u) => u.urlHash),
          ),
        ),
      );
  }

  /** A URL by id, or undefined. */
  async get(id: number): Promise<UrlRow | undefined> {
    const [row] = await this.db.select().from(urls).where(eq(urls.id, id));
    return row;
  }

  /** Moves a URL to `fetched` (its result is being processed), if it is still queued or leased. */
  async markFetched(id: number, bodyBytes = 0): Promise<void> {
    await this.db
      .update(urls)
      .set({
        state: 'fetched',
        attempts: sql`${urls.attempts} + 1`,
        bodyBytes: sql`${urls.bodyBytes} + ${bodyBytes}`,
        updatedAt: new Date(),
      })
      .where(and(eq(urls.id, id), inArray(urls.state, ['queued', 'leased'])));
  }

  /** Moves a queued URL to `leased`: a node is fetching it. */
  async markLeased(id: number): Promise<void> {
    await this.db
      .update(urls)
      .set({ state: 'leased', updatedAt: new Date() })
      .where(and(eq(urls.id, id), eq(urls.state, 'queued')));
  }

  /** Moves a leased URL back to `queued`: its job was handed back, to run again. */
  async markQueued(id: number): Promise<void> {
    await this.db
      .update(urls)
      .set({ state: 'queued', updatedAt: new Date() })
      .where(and(eq(urls.id, id), eq(urls.state, 'leased')));
  }

  /** Queued URLs of a campaign that must be fetched in a browser (render `auto` found they need JavaScript). */
  async countAwaitingRender(campaignId: string): Promise<number> {
    const [row] = await this.db
      .select({ n: sql<string>`count(*)` })
      .from(urls)
      .where(and(eq(urls.campaignId, campaignId), eq(urls.state, 'queued'), eq(urls.needsRender, true)));
    return Number(row?.n ?? 0);
  }

  /**
   * Marks a URL being processed as needing a rendered fetch and queues it again; returns its row, or undefined when
   * it is no longer in flight. Safe to repeat (a retried job gets the row again).
   */
  async requestRender(id: number): Promise<UrlRow | undefined> {
    const [row] = await this.db
      .update(urls)
      .set({ needsRender: true, state: 'queued', updatedAt: new Date() })
      .where(and(eq(urls.id, id), inArray(urls.state, UNFINISHED_URL_STATES)))
      .returning();
    return row;
  }

  /**
   * Finishes a refetched URL whose page did not change (a 304, or the same text): its record stands, or, for a URL
   * that only ever duplicated another page, its duplicate link does. `validators`, when given, replace the kept ones.
   */
  async markUnchanged(id: number, validators?: UrlValidators): Promise<void> {
    const state = sql<UrlState>`case
      when exists (select 1 from ${records} where ${records.urlId} = ${id}) then 'done'
      when exists (select 1 from ${duplicates} where ${duplicates.urlId} = ${id}) then 'duplicate'
      else 'done' end`;
    await this.db
      .update(urls)
      .set({ state, updatedAt: new Date(), ...validatorColumns(validators) })
      .where(and(eq(urls.id, id), inArray(urls.state, UNFINISHED_URL_STATES)));
  }

  /** Records a permanent failure with its reason, unless the URL already reached a terminal state. */
  async markFailed(id: number, errorCode: string, errorMessage: string, attempts?: number): Promise<void> {
    await this.db
      .update(urls)
      .set({
        state: 'failed',
        errorCode,
        errorMessage: errorMessage.slice(0, 1000),
        ...(attempts === undefined ? {} : { attempts }),
        updatedAt: new Date(),
      })
      .where(and(eq(urls.id, id), inArray(urls.state, UNFINISHED_URL_STATES)));
  }

  /** Records unfinished URLs as skipped, with the reason (e.g. `ROBOTS`). */
  markSkipped(ids: number[], errorCode: string, errorMessage: string): Promise<void> {
    return this.finishWithReason(ids, 'skipped', errorCode, errorMessage);
  }

  /** Records a permanent failure for many unfinished URLs at once. */
  markFailedMany(ids: number[], errorCode: string, errorMessage: string): Promise<void> {
    return this.finishWithReason(ids, 'failed', errorCode, errorMessage);
  }

  private async finishWithReason(
    ids: number[],
    state: 'skipped' | 'failed',
    errorCode: string,
    errorMessage: string,
  ): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .update(urls)
      .set({ state, errorCode, errorMessage: errorMessage.slice(0, 1000), updatedAt: new Date() })
      .where(and(inArray(urls.id, ids), inArray(urls.state, UNFINISHED_URL_STATES)));
  }

  /** Marks every unfinished URL of a cancelled campaign as cancelled. */
  async cancelPending(campaignId: string): Promise<number> {
    const rows = await this.db
      .update(urls)
      .set({ state: 'cancelled', updatedAt: new Date() })
      .where(and(eq(urls.campaignId, campaignId), inArray(urls.state, UNFINISHED_URL_STATES)))
      .returning({ id: urls.id });
    return rows.length;
  }

  /** Unfinished URLs (queued, leased or fetched) that have not changed since `before` (candidates for lost jobs). */
  listStale(campaignId: string, before: Date, limit: number): Promise<UrlRow[]> {
    return this.db
      .select()
      .from(urls)
      .where(
        and(
          eq(urls.campaignId, campaignId),
          inArray(urls.state, UNFINISHED_URL_STATES),
          sql`${urls.updatedAt} < ${before.toISOString()}`,
        ),
      )
      .orderBy(urls.id)
      .limit(limit);
  }

  /** Puts an unfinished URL back to `queued` (its fetch will run again). */
  async requeue(id: number): Promise<void> {
    await this.db
      .update(urls)
      .set({ state: 'queued', updatedAt: new Date() })
      .where(and(eq(urls.id, id), inArray(urls.state, UNFINISHED_URL_STATES)));
  }

  /** Lists a campaign's URLs, optionally in one state and on one host, by id. */
  list(
    campaignId: string,
    options: { state?: UrlState; host?: string; limit?: number; afterId?: number } = {},
  ): Promise<UrlRow[]> {
    return this.db
      .select()
      .from(urls)
      .where(
        and(
          eq(urls.campaignId, campaignId),
          options.state ? eq(urls.state, options.state) : undefined,
          options.host ? eq(urls.host, options.host) : undefined,
          options.afterId ? sql`${urls.id} > ${options.afterId}` : undefined,
        ),
      )
      .orderBy(urls.id)
      .limit(options.limit ?? 1000);
  }
}
