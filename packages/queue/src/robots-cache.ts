import type { Redis } from 'ioredis';
import type { FetchJobData } from './queue-names.js';

/** A host's robots.txt as fetched: the HTTP status (0 when unreachable) and the text (capped by the caller). */
export interface CachedRobots {
  status: number;
  text: string;
  fetchedAt: number;
}

/**
 * The per-host policy files the cache holds: `robots` (robots.txt) and `tdmrep` (TDMRep's
 * `/.well-known/tdmrep.json`), fetched and cached the same way.
 */
export type SiteFile = 'robots' | 'tdmrep';

/** Options for {@link RobotsCache}. */
export interface RobotsCacheOptions {
  prefix?: string;
  /** How long a fetched robots.txt is trusted, ms. Default 24 h. */
  ttlMs?: number;
  /** How long a robots.txt fetch may be pending before another is started, ms. Default 10 min. */
  pendingMs?: number;
}

/**
 * robots.txt (and tdmrep.json) per host in Redis, shared by every worker: the cached file (24 h), a marker while its
 * fetch is pending, and the URLs parked until it arrives — parked, never dropped.
 */
export class RobotsCache {
  private readonly prefix: string;
  private readonly ttlMs: number;
  private readonly pendingMs: number;

  constructor(
    private readonly redis: Redis,
    options: RobotsCacheOptions = {},
  ) {
    this.prefix = options.prefix ?? 'gleaner';
    this.ttlMs = options.ttlMs ?? 86_400_000;
    this.pendingMs = options.pendingMs ?? 600_000;
  }

  private key(kind: string, host: string): string {
    return `${this.prefix}:robots:${kind}:{${host}}`;
  }

  /** The key kinds of a file and of its pending marker (robots.txt keeps the names it always had). */
  private kinds(file: SiteFile): { file: string; pending: string } {
    return file === 'robots'
      ? { file: 'file', pending: 'pending' }
      : { file: `${file}-file`, pending: `${file}-pending` };
  }

  /** The cached robots.txt (or other policy file) of a host, or undefined. */
  async get(host: string, file: SiteFile = 'robots'): Promise<CachedRobots | undefined> {
    const raw = await this.redis.get(this.key(this.kinds(file).file, host));
    return raw ? (JSON.parse(raw) as CachedRobots) : undefined;
  }

  /** Caches a host's robots.txt (or other file) for `ttlMs` (or the given shorter time) and clears its pending marker. */
  async set(
    host: string,
    robots: CachedRobots,
    ttlMs = this.ttlMs,
    file: SiteFile = 'robots',
  ): Promise<void> {
    const kinds = this.kinds(file);
    await this.redis
      .multi()
      .set(this.key(kinds.file, host), JSON.stringify(robots), 'PX', ttlMs)
      .del(this.key(kinds.pending, host))
      .exec();
  }

  /**
   * Marks a fetch as started on behalf of a campaign (whose job fetches it); true if this caller should start it (no
   * fetch was pending). The claim ends when the robots.txt is cached, after `pendingMs`, or at
   * {@link releaseClaims} when the campaign ends.
   */
  async claimFetch(host: string, campaignId: string, file: SiteFile = 'robots'): Promise<boolean> {
    const pending = this.key(this.kinds(file).pending, host);
    const claimed = (await this.redis.set(pending, campaignId, 'PX', this.pendingMs, 'NX')) === 'OK';
    if (claimed) {
      // The campaign's claims are listed apart from the hosts' keys: each stays on its own hash slot in a cluster.
      const claims = this.claimsKey(campaignId);
      const member = file === 'robots' ? host : `${file} ${host}`;
      await this.redis.multi().sadd(claims, member).pexpire(claims, this.pendingMs).exec();
    }
    return claimed;
  }

  /**
   * Ends the pending fetches a campaign claimed (a cancelled campaign's robots.txt jobs are never fetched, and
   * other campaigns' URLs on those hosts would wait out `pendingMs`). Returns the hosts whose claim it ended, each
   * once, whichever of their files it was for.
   */
  async releaseClaims(campaignId: string): Promise<string[]> {
    const claims = this.claimsKey(campaignId);
    const members = await this.redis.smembers(claims);
    const released = new Set<string>();
    for (const member of members) {
      // Members are `host` for robots.txt and `<file> host` for the others (hosts hold no spaces).
      const [file, host] = member.includes(' ')
        ? (member.split(' ', 2) as [SiteFile, string])
        : (['robots', member] as const);
      // Only this campaign's claim: the host may have been cached and claimed again by another since.
      const deleted = (await this.redis.eval(
        "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end",
        1,
        this.key(this.kinds(file).pending, host),
        campaignId,
      )) as number;
      if (deleted === 1) released.add(host);
    }
    if (members.length > 0) await this.redis.srem(claims, ...members);
    return [...released];
  }

  private claimsKey(campaignId: string): string {
    return `${this.prefix}:robots:claims:{${campaignId}}`;
  }

  /** Counts a failed fetch (5xx, unreachable) and returns how many there were in a row. */
  async countFailure(host: string): Promise<number> {
    const key = this.key('failures', host);
    const n = await this.redis.incr(key);
    await this.redis.pexpire(key, this.ttlMs);
    return n;
  }

  /** Clears the failure count (a fetch succeeded). */
  async clearFailures(host: string): Promise<void> {
    await this.redis.del(this.key('failures', host));
  }

  /** Parks fetch jobs until the host's robots.txt is known. */
  async park(host: string, jobs: FetchJobData[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.redis.rpush(this.key('parked', host), ...jobs.map((j) => JSON.stringify(j)));
  }

  /** Takes every parked job of a host (at most `limit`). */
  async unpark(host: string, limit = 100_000): Promise<FetchJobData[]> {
    const key = this.key('parked', host);
    const [[, items]] = (await this.redis
      .multi()
      .lrange(key, 0, limit - 1)
      .ltrim(key, limit, -1)
      .exec()) as [[unknown, string[]], unknown];
    return items.map((item) => JSON.parse(item) as FetchJobData);
  }

  /** Parked jobs of a host from position `start` on (at most `count`), left parked. */
  async parked(host: string, start: number, count: number): Promise<FetchJobData[]> {
    const items = await this.redis.lrange(this.key('parked', host), start, start + count - 1);
    return items.map((item) => JSON.parse(item) as FetchJobData);
  }

  /** How many jobs wait for a host's robots.txt. */
  parkedCount(host: string): Promise<number> {
    return this.redis.llen(this.key('parked', host));
  }
}
