import { randomBytes } from 'node:crypto';
import { and, desc, eq, gt, sql } from 'drizzle-orm';
import { newId } from '@gleaner/core';
import type { Db } from './database.js';
import { SITE_REMOVED_REASON, type RecordStore, type Tombstone } from './record-store.js';
import { records, recordWithdrawals, siteRemovals } from './schema.js';

/** A site owner's removal request. */
export type SiteRemoval = typeof siteRemovals.$inferSelect;

/** Where a site owner places the token of a removal request, on the host to remove. */
export const REMOVAL_TOKEN_PATH = '/.well-known/gleaner-removal.txt';

/** Options of {@link SiteRemovalStore}. */
export interface SiteRemovalStoreOptions {
  /** How long the set of removed hosts is reused before it is read again, ms. Default 5,000. */
  cacheMs?: number;
}

/** Records withdrawn per transaction when a host is removed. */
const WITHDRAW_BATCH = 1000;

/**
 * The host a removal request names, as URLs name it (`example.com`, `example.com:8080`, lower case, IDNA), or
 * undefined when it is not a plain host: no scheme, path, user or query, and not an IP literal's port alone.
 */
export function removalHostOf(input: string): string | undefined {
  const trimmed = input.trim().toLowerCase();
  if (trimmed === '' || trimmed.length > 260 || /[/?#@\\\s]/.test(trimmed)) return undefined;
  try {
    const url = new URL(`http://${trimmed}`);
    return url.hostname && url.host ? url.host : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Removal requests of site owners (docs/site-owners.md): a request holds a token for the owner to publish at
 * {@link REMOVAL_TOKEN_PATH}; once it is found there the request is verified, the host's records are withdrawn from
 * every dataset (tombstones in the feeds), and {@link isRemoved} denies the host from then on. The one writer of
 * `site_removals`.
 */
export class SiteRemovalStore {
  private removed?: { hosts: Set<string>; loadedAt: number };
  private loading?: Promise<Set<string>>;
  private readonly cacheMs: number;

  constructor(
    private readonly db: Db,
    options: SiteRemovalStoreOptions = {},
  ) {
    this.cacheMs = options.cacheMs ?? 5000;
  }

  /** Opens a request for `host` (already normalized by {@link removalHostOf}) with a fresh token. */
  async create(host: string): Promise<SiteRemoval> {
    const [row] = await this.db
      .insert(siteRemovals)
      .values({
        id: newId('rmv'),
        host,
        token: `gleaner-removal-${randomBytes(24).toString('base64url')}`,
      })
      .returning();
    return row!;
  }

  /** A request by id. */
  async get(id: string): Promise<SiteRemoval | undefined> {
    const [row] = await this.db.select().from(siteRemovals).where(eq(siteRemovals.id, id));
    return row;
  }

  /** Requests opened for a host since `since`, newest first (for limits on how many one host may have). */
  async recentFor(host: string, since: Date): Promise<SiteRemoval[]> {
    return this.db
      .select()
      .from(siteRemovals)
      .where(and(eq(siteRemovals.host, host), gt(siteRemovals.createdAt, since)))
      .orderBy(desc(siteRemovals.createdAt));
  }

  /** Counts a verification attempt that did not find the token, and why. */
  async recordFailure(id: string, error: string): Promise<SiteRemoval | undefined> {
    const [row] = await this.db
      .update(siteRemovals)
      .set({
        attempts: sql`${siteRemovals.attempts} + 1`,
        lastCheckedAt: new Date(),
        lastError: error.slice(0, 500),
      })
      .where(eq(siteRemovals.id, id))
      .returning();
    return row;
  }

  /**
   * Verifies a request whose token was found on its host: the host is removed (commits first, so every record
   * accepted from then on lands withdrawn: `RecordStore.accept` reads the removal under a share lock), then every
   * record of the host is withdrawn, in batches, with `onWithdrawn` in each withdrawal's transaction. Safe to run
   * again (a verified request withdraws what may have been left). Undefined for an unknown id.
   */
  async verify(
    id: string,
    recordStore: RecordStore,
    onWithdrawn?: (fresh: Tombstone[], tx: Pick<Db, 'execute'>) => Promise<unknown>,
  ): Promise<SiteRemoval | undefined> {
    const [marked] = await this.db
      .update(siteRemovals)
      .set({
        state: 'verified',
        verifiedAt: sql`coalesce(${siteRemovals.verifiedAt}, now())`,
        attempts: sql`${siteRemovals.attempts} + 1`,
        lastCheckedAt: new Date(),
        lastError: null,
      })
      .where(eq(siteRemovals.id, id))
      .returning();
    if (!marked) return undefined;
    this.removed = undefined;
    let withdrawn = 0;
    for (;;) {
      const batch = await this.db
        .select({ id: records.id })
        .from(records)
        .leftJoin(recordWithdrawals, eq(recordWithdrawals.recordId, records.id))
        .where(and(eq(records.host, marked.host), sql`${recordWithdrawals.recordId} is null`))
        .limit(WITHDRAW_BATCH);
      if (batch.length === 0) break;
      await recordStore.withdrawRecords(
        batch.map((row) => row.id),
        SITE_REMOVED_REASON,
        onWithdrawn,
      );
      withdrawn += batch.length;
    }
    const [done] = await this.db
      .update(siteRemovals)
      .set({ withdrawn: sql`coalesce(${siteRemovals.withdrawn}, 0) + ${withdrawn}` })
      .where(eq(siteRemovals.id, id))
      .returning();
    return done;
  }

  /** Whether a host was removed by its owner; the set of removed hosts is read at most every `cacheMs`. */
  async isRemoved(host: string): Promise<boolean> {
    const now = Date.now();
    if (this.removed && now - this.removed.loadedAt < this.cacheMs) return this.removed.hosts.has(host);
    this.loading ??= this.db
      .select({ host: siteRemovals.host })
      .from(siteRemovals)
      .where(eq(siteRemovals.state, 'verified'))
      .then((rows) => new Set(rows.map((row) => row.host)))
      .finally(() => {
        this.loading = undefined;
      });
    const hosts = await this.loading;
    this.removed = { hosts, loadedAt: now };
    return hosts.has(host);
  }
}
