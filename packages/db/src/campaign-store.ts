import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { newId, type CampaignSpec, type CampaignStatus } from '@gleaner/core';
import { CampaignCache, type CampaignCacheOptions } from './campaign-cache.js';
import type { Db } from './database.js';
import {
  campaigns,
  datasets,
  duplicates,
  pointsLedger,
  records,
  UNFINISHED_URL_STATES,
  urls,
} from './schema.js';
import { UrlStore } from './url-store.js';

/** A campaign row. */
export type CampaignRow = typeof campaigns.$inferSelect;

/** Counts that describe a campaign's progress. */
export interface CampaignStats {
  urls: {
    queued: number;
    leased: number;
    fetched: number;
    done: number;
    duplicate: number;
    failed: number;
    skipped: number;
    cancelled: number;
  };
  records: number;
  duplicates: number;
  points: number;
  textBytes: number;
  /** Bytes of the response bodies nodes returned for the campaign's pages. */
  fetchedBytes: number;
  /** URLs finished per second over the last minute. */
  pagesPerSecond: number;
  /** Seconds until the queued URLs are done at that rate; null when nothing finished lately. */
  etaSeconds: number | null;
}

const TRANSITIONS: Record<CampaignStatus, CampaignStatus[]> = {
  draft: ['running', 'cancelled'],
  running: ['paused', 'cancelled', 'completed'],
  paused: ['running', 'cancelled'],
  // A completed campaign with a recrawl planned can still be cancelled (no more rounds); see transition.
  completed: ['cancelled'],
  cancelled: [],
};

/** Settings of a {@link CampaignStore}. */
export interface CampaignStoreOptions {
  /** Settings of its {@link CampaignCache} (a 1 s TTL by default). */
  cache?: CampaignCacheOptions;
}

/**
 * Campaigns and their datasets; the only writer of a campaign's row. Hot paths read rows through {@link cache},
 * which every write here invalidates.
 */
export class CampaignStore {
  /**
   * The process's campaign rows, re-read at most once per TTL (1 s by default). Hand one `CampaignStore` to every
   * part of a process so that they share it; what the API must answer exactly reads with {@link get} instead.
   */
  readonly cache: CampaignCache;

  constructor(
    private readonly db: Db,
    options: CampaignStoreOptions = {},
  ) {
    this.cache = new CampaignCache((id) => this.get(id), options.cache);
  }

  /** Creates a campaign (running, or a draft) and its dataset. */
  async create(
    name: string,
    spec: CampaignSpec,
    status: 'running' | 'draft' = 'running',
  ): Promise<CampaignRow> {
    const id = newId('cmp');
    const datasetId = newId('ds');
    return this.db.transaction(async (tx) => {
      await tx.insert(datasets).values({ id: datasetId, name, campaignId: id });
      const [row] = await tx.insert(campaigns).values({ id, name, status, spec, datasetId }).returning();
      return row!;
    });
  }

  /** A campaign by id, or undefined, read now (see {@link cache} for hot paths). */
  async get(id: string): Promise<CampaignRow | undefined> {
    const [row] = await this.db.select().from(campaigns).where(eq(campaigns.id, id));
    return row;
  }

  /** All campaigns, newest first. */
  list(): Promise<CampaignRow[]> {
    return this.db.select().from(campaigns).orderBy(desc(campaigns.createdAt));
  }

  /** Campaigns in the given states. */
  listByStatus(statuses: CampaignStatus[]): Promise<CampaignRow[]> {
    return this.db.select().from(campaigns).where(inArray(campaigns.status, statuses));
  }

  /**
   * Moves a campaign to a new state if the lifecycle allows it.
   * Returns the updated row, or `{ conflict: current }` when the move is not allowed.
   */
  async transition(
    id: string,
    to: CampaignStatus,
    onlyFrom?: CampaignStatus[],
  ): Promise<CampaignRow | { conflict: CampaignStatus } | undefined> {
    const current = await this.get(id);
    if (!current) return undefined;
    if (current.status === to) return current;
    const allowedFrom = (Object.keys(TRANSITIONS) as CampaignStatus[]).filter(
      (s) => TRANSITIONS[s].includes(to) && (onlyFrom === undefined || onlyFrom.includes(s)),
    );
    if (!allowedFrom.includes(current.status)) return { conflict: current.status };
    // Only a completed campaign with a recrawl still planned can be cancelled: a finished one stays completed.
    if (current.status === 'completed' && current.nextRecrawlAt === null) return { conflict: current.status };
    const [row] = await this.db
      .update(campaigns)
      .set({ status: to, updatedAt: new Date(), completedAt: to === 'completed' ? new Date() : null })
      .where(and(eq(campaigns.id, id), inArray(campaigns.status, allowedFrom)))
      .returning();
    this.cache.invalidate(id);
    return row ?? { conflict: (await this.get(id))!.status };
  }

  /** Replaces the name and spec of a paused or draft campaign; undefined if it is neither (or does not exist). */
  async updateSpec(id: string, name: string, spec: CampaignSpec): Promise<CampaignRow | undefined> {
    const [row] = await this.db
      .update(campaigns)
      .set({ name, spec, updatedAt: new Date() })
      .where(and(eq(campaigns.id, id), inArray(campaigns.status, ['paused', 'draft'])))
      .returning();
    this.cache.invalidate(id);
    return row;
  }

  /** Records that the seeds were admitted. */
  async markSeeded(id: string): Promise<void> {
    await this.db.update(campaigns).set({ seeded: true }).where(eq(campaigns.id, id));
    this.cache.invalidate(id);
  }

  /**
   * Completes a running campaign when its seeds are in and no URL is queued or being processed.
   * Returns true if it just completed.
   */
  async completeIfDone(id: string): Promise<boolean> {
    // A recrawl schedule with rounds left plans the next round from now.
    const nextRecrawlAt = sql`case
      when (${campaigns.spec} -> 'recrawl') is null then null
      when (${campaigns.spec} -> 'recrawl' -> 'rounds') is not null
        and ${campaigns.round} >= ((${campaigns.spec} -> 'recrawl' ->> 'rounds')::int) then null
      else now() + ((${campaigns.spec} -> 'recrawl' ->> 'intervalMs')::bigint * interval '1 millisecond')
    end`;
    const rows = await this.db
      .update(campaigns)
      .set({ status: 'completed', completedAt: new Date(), updatedAt: new Date(), nextRecrawlAt })
      .where(
        and(
          eq(campaigns.id, id),
          eq(campaigns.status, 'running'),
          eq(campaigns.seeded, true),
          sql`not exists (select 1 from ${urls} where ${urls.campaignId} = ${id} and ${inArray(urls.state, UNFINISHED_URL_STATES)})`,
        ),
      )
      .returning({ id: campaigns.id });
    if (rows.length > 0) this.cache.invalidate(id);
    return rows.length > 0;
  }

  /** Whether a completed campaign has a recrawl round planned. */
  async recrawlPlanned(id: string): Promise<boolean> {
    const [row] = await this.db
      .select({ at: campaigns.nextRecrawlAt })
      .from(campaigns)
      .where(eq(campaigns.id, id));
    return row?.at != null;
  }

  /** Completed campaigns whose next recrawl round is due. */
  listDueRecrawls(now = new Date()): Promise<CampaignRow[]> {
    return this.db
      .select()
      .from(campaigns)
      .where(and(eq(campaigns.status, 'completed'), sql`${campaigns.nextRecrawlAt} <= ${now.toISOString()}`));
  }

  /**
   * Starts a due recrawl round, in one transaction: the campaign runs again in round + 1 and every URL that made or
   * kept a record (`done`), was a duplicate, or failed for a passing reason is queued again in that round
   * (`UrlStore.queueRound`). Returns the new round, or undefined
   * when another worker started it first (or it is not due).
   */
  async startRecrawl(id: string, now = new Date()): Promise<number | undefined> {
    const round = await this.db.transaction(async (tx) => {
      const [row] = await tx
        .update(campaigns)
        .set({
          status: 'running',
          round: sql`${campaigns.round} + 1`,
          nextRecrawlAt: null,
          completedAt: null,
          updatedAt: now,
        })
        .where(
          and(
            eq(campaigns.id, id),
            eq(campaigns.status, 'completed'),
            sql`${campaigns.nextRecrawlAt} <= ${now.toISOString()}`,
          ),
        )
        .returning({ round: campaigns.round });
      if (!row) return undefined;
      await new UrlStore(tx).queueRound(id, row.round, now);
      return row.round;
    });
    if (round !== undefined) this.cache.invalidate(id);
    return round;
  }

  /** Progress counts for a campaign. */
  async stats(id: string): Promise<CampaignStats> {
    const states = await this.db
      .select({
        state: urls.state,
        n: sql<string>`count(*)`,
        bytes: sql<string>`coalesce(sum(${urls.bodyBytes}), 0)`,
      })
      .from(urls)
      .where(eq(urls.campaignId, id))
      .groupBy(urls.state);
    const counts = {
      queued: 0,
      leased: 0,
      fetched: 0,
      done: 0,
      duplicate: 0,
      failed: 0,
      skipped: 0,
      cancelled: 0,
    };
    let fetchedBytes = 0;
    for (const s of states) {
      counts[s.state] = Number(s.n);
      fetchedBytes += Number(s.bytes);
    }
    const [rec] = await this.db
      .select({ n: sql<string>`count(*)`, bytes: sql<string>`coalesce(sum(${records.textBytes}), 0)` })
      .from(records)
      .where(eq(records.campaignId, id));
    const [dup] = await this.db
      .select({ n: sql<string>`count(*)` })
      .from(duplicates)
      .where(eq(duplicates.campaignId, id));
    const [pts] = await this.db
      .select({ n: sql<string>`coalesce(sum(${pointsLedger.points}), 0)` })
      .from(pointsLedger)
      .innerJoin(records, eq(records.id, pointsLedger.recordId))
      .where(eq(records.campaignId, id));
    const [recent] = await this.db
      .select({ n: sql<string>`count(*)` })
      .from(urls)
      .where(
        and(
          eq(urls.campaignId, id),
          inArray(urls.state, ['done', 'duplicate', 'failed']),
          sql`${urls.updatedAt} > now() - interval '60 seconds'`,
        ),
      );
    const pagesPerSecond = Number(recent?.n ?? 0) / 60;
    const remaining = counts.queued + counts.leased + counts.fetched;
    return {
      urls: counts,
      records: Number(rec?.n ?? 0),
      textBytes: Number(rec?.bytes ?? 0),
      fetchedBytes,
      duplicates: Number(dup?.n ?? 0),
      points: Number(pts?.n ?? 0),
      pagesPerSecond: Math.round(pagesPerSecond * 100) / 100,
      etaSeconds: remaining === 0 ? 0 : pagesPerSecond > 0 ? Math.round(remaining / pagesPerSecond) : null,
    };
  }
}
