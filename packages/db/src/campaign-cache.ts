import { isDeepStrictEqual } from 'node:util';
import type { campaigns } from './schema.js';

type CampaignRow = typeof campaigns.$inferSelect;

/** How long a campaign row read from the database is served before it is read again, ms. */
export const DEFAULT_CAMPAIGN_CACHE_TTL_MS = 1000;

/** Settings of a {@link CampaignCache}. */
export interface CampaignCacheOptions {
  /** How long a row is served before it is read again, ms. Default {@link DEFAULT_CAMPAIGN_CACHE_TTL_MS} (1 s). */
  ttlMs?: number;
  /** Most campaigns held; past it the longest held goes first. Default 10,000. */
  maxEntries?: number;
  /** The clock, ms since the epoch. Default `Date.now`. */
  now?: () => number;
}

interface Entry {
  /** The row, or undefined for a campaign that does not exist. */
  row: CampaignRow | undefined;
  /** When the row was read, ms; `-Infinity` once invalidated (the row is kept for its spec's identity). */
  loadedAt: number;
}

/**
 * The campaign rows one process reads on its hot paths (the gateway's leases and results, the worker's pages,
 * robots.txt and sitemaps), each read at most once per `ttlMs` however many callers ask. `CampaignStore` owns it
 * and invalidates a campaign on every write it makes (state, spec, round, seeded), so this process never sees its
 * own writes late; a write by another process is seen within `ttlMs`, since there is no cross-process channel.
 *
 * A row's `spec` stays the same object for as long as the spec is unchanged, across re-reads, so callers may key
 * what they derive from a spec (a `CampaignScope`) on the object itself, in a `WeakMap`. Rows are shared: treat them
 * as read-only. Concurrent misses for one campaign share one read, and a read that started before an invalidation
 * is never kept.
 */
export class CampaignCache {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<CampaignRow | undefined>>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(
    private readonly load: (id: string) => Promise<CampaignRow | undefined>,
    options: CampaignCacheOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? DEFAULT_CAMPAIGN_CACHE_TTL_MS;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
    if (!(this.ttlMs >= 0) || !(this.maxEntries >= 1)) {
      throw new RangeError('ttlMs must be ≥ 0 and maxEntries ≥ 1');
    }
  }

  /** The campaign's row as read at most `ttlMs` ago, or undefined when it does not exist. */
  get(id: string): Promise<CampaignRow | undefined> {
    const entry = this.entries.get(id);
    if (entry && this.now() - entry.loadedAt < this.ttlMs) return Promise.resolve(entry.row);
    return this.loading.get(id) ?? this.read(id);
  }

  /**
   * The campaign's row read now, kept for the others: for the rare callers that must see another process's write
   * at once (links posted right after a spec edit).
   */
  refresh(id: string): Promise<CampaignRow | undefined> {
    this.invalidate(id);
    return this.read(id);
  }

  /** Forgets what was read of the campaign: the next `get` reads it again. */
  invalidate(id: string): void {
    const entry = this.entries.get(id);
    if (entry) entry.loadedAt = -Infinity;
    // A read in flight may have started before the write that led here: it must not be kept.
    this.loading.delete(id);
  }

  private read(id: string): Promise<CampaignRow | undefined> {
    const startedAt = this.now();
    const promise = this.load(id).then(
      (row) => {
        if (this.loading.get(id) === promise) {
          this.loading.delete(id);
          this.keep(id, row, startedAt);
        }
        return row;
      },
      (error: unknown) => {
        if (this.loading.get(id) === promise) this.loading.delete(id);
        throw error;
      },
    );
    this.loading.set(id, promise);
    return promise;
  }

  private keep(id: string, row: CampaignRow | undefined, loadedAt: number): void {
    const previous = this.entries.get(id)?.row;
    // The same spec object while the spec is unchanged, so that what callers derived from it stays valid.
    if (row && previous && row.spec !== previous.spec && isDeepStrictEqual(row.spec, previous.spec)) {
      row.spec = previous.spec;
    }
    this.entries.delete(id);
    this.entries.set(id, { row, loadedAt });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }
}
