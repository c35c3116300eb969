import { and, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { RECRAWL_RETRIED_CODES, type ErrorCode, type UrlSkipReason } from '@gleaner/core';
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
  skipReason?: UrlSkipReason;
}

/** Validators of a page's latest response. */
export interface UrlValidators {
  etag: string | undefined;
  lastModified: string | undefined;
}

/** Details of a URL's failure beyond its code and message. */
export interface UrlFailureDetails {
  /** Fetch attempts spent, when known (the gateway counts them); left as it is otherwise. */
  attempts?: number;
  /** The HTTP status the page answered with, for `HTTP_ERROR` (kept in `http_status`, never read from the message). */
  httpStatus?: number;
}

/**
 * The URL lifecycle: which states may follow which. A URL is `queued` from admission until a node's result for it is
 * stored (the lease itself lives in BullMQ and the gateway, not here), `fetched` while the pipeline processes it,
 * then `done` (it made or kept a record), `duplicate`, `failed` or `skipped`; `cancelled` with its campaign. A
 * recrawl round queues `done`, `duplicate` and passing failures again. `leased` is no longer written; rows that
 * older versions left in it move on as `queued` ones do. `skipped` and `cancelled` are final.
 *
 * Every write of `urls.state` goes through {@link UrlStore}, whose updates only match rows in a state the move is
 * allowed from; a move the table does not allow changes nothing (and reports so), which also makes every write safe
 * to repeat.
 */
export const URL_TRANSITIONS: Readonly<Record<UrlState, readonly UrlState[]>> = {
  // queued → queued: a requeue or a rendered refetch asked for twice; queued → done/duplicate: a process job that
  // outlived a requeue of its URL still lands its page.
  queued: ['queued', 'fetched', 'done', 'duplicate', 'failed', 'skipped', 'cancelled'],
  leased: ['queued', 'fetched', 'done', 'duplicate', 'failed', 'skipped', 'cancelled'],
  // fetched → queued: the page needs a rendered fetch, or its process job was lost.
  fetched: ['queued', 'done', 'duplicate', 'failed', 'skipped', 'cancelled'],
  // → queued: the next recrawl round.
  done: ['queued'],
  duplicate: ['queued'],
  failed: ['queued'],
  skipped: [],
  cancelled: [],
};

/** Whether the lifecycle lets `to` follow `from`. */
export function isUrlTransition(from: UrlState, to: UrlState): boolean {
  return URL_TRANSITIONS[from].includes(to);
}

/** The states every one of `targets` may follow (what an update moving a URL to them may match). */
export function urlStatesBefore(...targets: UrlState[]): UrlState[] {
  return (Object.keys(URL_TRANSITIONS) as UrlState[]).filter((from) =>
    targets.every((to) => isUrlTransition(from, to)),
  );
}

/** The URL columns a response's validators set (none when not given). */
export function validatorColumns(validators: UrlValidators | undefined) {
  return validators === undefined
    ? {}
    : { etag: validators.etag ?? null, lastModified: validators.lastModified ?? null };
}

/** What the store needs of a database handle: a pool's `db`, or a transaction (for moves inside another write). */
export type UrlStoreHandle = Pick<Db, 'select' | 'insert' | 'update'>;

/** Columns a move may set besides the state: values, or SQL over the row. */
type UrlColumns = {
  [K in Exclude<keyof typeof urls.$inferInsert, 'id' | 'state'>]?: (typeof urls.$inferInsert)[K] | SQL;
};

/**
 * The per-campaign URL table and the only writer of `urls.state`: admission, every move of the lifecycle
 * ({@link URL_TRANSITIONS}) and lookups. Other stores that finish a URL inside their own transaction (a record, a
 * recrawl round) construct one over that transaction.
 */
export class UrlStore {
  constructor(private readonly db: UrlStoreHandle) {}

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

  /**
   * Moves the URLs `where` selects to `to` (setting `columns` too), those of them the lifecycle allows to; returns
   * the moved rows. `state`, when given, is the SQL that picks the new state among `possible` (each allowed).
   */
  private async move(
    where: SQL | undefined,
    to: UrlState | { state: SQL<UrlState>; possible: UrlState[] },
    columns: UrlColumns = {},
  ): Promise<{ id: number }[]> {
    const targets = typeof to === 'string' ? [to] : to.possible;
    return this.db
      .update(urls)
      .set({ updatedAt: new Date(), ...columns, state: typeof to === 'string' ? to : to.state })
      .where(and(where, inArray(urls.state, urlStatesBefore(...targets))))
      .returning({ id: urls.id });
  }

  /**
   * Moves a URL to `fetched` (its result is stored and being processed), counting the attempt and the body's bytes.
   * Only a URL waiting for its fetch moves, so a result for one already past that changes nothing. True if it moved.
   */
  async markFetched(id: number, bodyBytes = 0): Promise<boolean> {
    const moved = await this.move(
      and(eq(urls.id, id), inArray(urls.state, ['queued', 'leased'])),
      'fetched',
      {
        attempts: sql`${urls.attempts} + 1`,
        bodyBytes: sql`${urls.bodyBytes} + ${bodyBytes}`,
      },
    );
    return moved.length > 0;
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
    const moved = await this.move(
      and(eq(urls.id, id), inArray(urls.state, UNFINISHED_URL_STATES)),
      'queued',
      {
        needsRender: true,
      },
    );
    return moved.length > 0 ? this.get(id) : undefined;
  }

  /**
   * Finishes a refetched URL whose page did not change (a 304, or the same text): its record stands, or, for a URL
   * that only ever duplicated another page, its duplicate link does. `validators`, when given, replace the kept ones.
   */
  async markUnchanged(id: number, validators?: UrlValidators): Promise<boolean> {
    const state = sql<UrlState>`case
      when exists (select 1 from ${records} where ${records.urlId} = ${id}) then 'done'
      when exists (select 1 from ${duplicates} where ${duplicates.urlId} = ${id}) then 'duplicate'
      else 'done' end`;
    const moved = await this.move(
      eq(urls.id, id),
      { state, possible: ['done', 'duplicate'] },
      validatorColumns(validators),
    );
    return moved.length > 0;
  }

  /**
   * Finishes a URL whose page was just accepted, as a record (`done`) or a duplicate link; meant for the
   * transaction that writes the record. `validators`, when given, replace the kept ones. True if it moved.
   */
  async markAccepted(id: number, state: 'done' | 'duplicate', validators?: UrlValidators): Promise<boolean> {
    const moved = await this.move(eq(urls.id, id), state, validatorColumns(validators));
    return moved.length > 0;
  }

  /**
   * Records a URL's permanent failure with its reason, unless the URL already finished. `details.httpStatus` is the
   * page's HTTP status for `HTTP_ERROR`; any earlier one is cleared. True if it moved.
   */
  async markFailed(
    id: number,
    errorCode: ErrorCode,
    errorMessage: string,
    details: UrlFailureDetails = {},
  ): Promise<boolean> {
    const moved = await this.move(eq(urls.id, id), 'failed', {
      errorCode,
      errorMessage: errorMessage.slice(0, 1000),
      httpStatus: details.httpStatus ?? null,
      ...(details.attempts === undefined ? {} : { attempts: details.attempts }),
    });
    return moved.length > 0;
  }

  /** Records unfinished URLs as skipped, with the reason (e.g. `ROBOTS`). */
  async markSkipped(ids: number[], reason: UrlSkipReason, message: string): Promise<void> {
    if (ids.length === 0) return;
    await this.move(inArray(urls.id, ids), 'skipped', {
      errorCode: reason,
      errorMessage: message.slice(0, 1000),
      httpStatus: null,
    });
  }

  /** Records a permanent failure for many unfinished URLs at once (none of them an HTTP error of the page). */
  async markFailedMany(ids: number[], errorCode: ErrorCode, errorMessage: string): Promise<void> {
    if (ids.length === 0) return;
    await this.move(inArray(urls.id, ids), 'failed', {
      errorCode,
      errorMessage: errorMessage.slice(0, 1000),
      httpStatus: null,
    });
  }

  /** Marks every unfinished URL of a cancelled campaign as cancelled; returns how many. */
  async cancelPending(campaignId: string): Promise<number> {
    return (await this.move(eq(urls.campaignId, campaignId), 'cancelled')).length;
  }

  /** Unfinished URLs (queued or fetched) that have not changed since `before` (candidates for lost jobs). */
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

  /** Puts an unfinished URL back to `queued` (its fetch will run again). True if it moved. */
  async requeue(id: number): Promise<boolean> {
    const moved = await this.move(and(eq(urls.id, id), inArray(urls.state, UNFINISHED_URL_STATES)), 'queued');
    return moved.length > 0;
  }

  /**
   * Queues a campaign's URLs again for recrawl round `round`: every URL that made or kept a record (`done`), was a
   * duplicate, or failed for a passing reason — a code the error table marks `retriedOnRecrawl`, or an HTTP 5xx or
   * 429 answer (`http_status`). Meant for the transaction that opens the round; returns how many were queued.
   */
  async queueRound(campaignId: string, round: number, now = new Date()): Promise<number> {
    const retriedFailure = and(
      eq(urls.state, 'failed'),
      or(
        inArray(urls.errorCode, [...RECRAWL_RETRIED_CODES]),
        sql`${urls.httpStatus} >= 500`,
        eq(urls.httpStatus, 429),
      ),
    );
    const moved = await this.move(
      and(eq(urls.campaignId, campaignId), or(inArray(urls.state, ['done', 'duplicate']), retriedFailure)),
      'queued',
      { round, errorCode: null, errorMessage: null, httpStatus: null, updatedAt: now },
    );
    return moved.length;
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
