import type { Redis } from 'ioredis';

/**
 * The sitemaps a campaign is waiting for, in Redis: a campaign is not complete while one is pending. An entry older
 * than `maxAgeMs` no longer holds the campaign back (its job was lost), so nothing can keep a campaign open forever.
 * Also remembers which hosts' robots.txt sitemaps a campaign already asked for.
 */
export class SitemapTracker {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'gleaner',
    private readonly maxAgeMs = 600_000,
  ) {}

  private key(kind: string, campaignId: string): string {
    return `${this.prefix}:sitemaps:${kind}:{${campaignId}}`;
  }

  /** Records sitemaps as pending; returns those not seen before in this campaign (the ones to fetch). */
  async add(campaignId: string, urls: string[], now = Date.now()): Promise<string[]> {
    const fresh: string[] = [];
    for (const url of urls) {
      if ((await this.redis.sadd(this.key('seen', campaignId), url)) === 1) fresh.push(url);
    }
    if (fresh.length > 0)
      await this.redis.zadd(this.key('pending', campaignId), ...fresh.flatMap((u) => [now, u]));
    return fresh;
  }

  /** Marks a sitemap as handled. */
  async done(campaignId: string, url: string): Promise<void> {
    await this.redis.zrem(this.key('pending', campaignId), url);
  }

  /** Sitemaps still pending (younger than the maximum age). */
  pending(campaignId: string, now = Date.now()): Promise<number> {
    return this.redis.zcount(this.key('pending', campaignId), now - this.maxAgeMs, '+inf');
  }

  /** How many sitemaps the campaign took in all (in this round). */
  total(campaignId: string): Promise<number> {
    return this.redis.scard(this.key('seen', campaignId));
  }

  /** True the first time a campaign asks for a host's robots.txt sitemaps. */
  async claimHost(campaignId: string, host: string): Promise<boolean> {
    return (await this.redis.sadd(this.key('hosts', campaignId), host)) === 1;
  }

  /**
   * Starts a recrawl round: every sitemap (and every host's robots.txt sitemaps) may be read once again. Sitemaps
   * still pending are kept.
   */
  async startRound(campaignId: string): Promise<void> {
    await this.redis
      .multi()
      .del(this.key('seen', campaignId), this.key('hosts', campaignId))
      .incr(this.key('round', campaignId))
      .exec();
  }

  /** How many times {@link startRound} was called for the campaign: the sitemaps' own round number. */
  async round(campaignId: string): Promise<number> {
    return Number((await this.redis.get(this.key('round', campaignId))) ?? 0);
  }

  /** Forgets a campaign's sitemaps (when it ends). */
  async drop(campaignId: string): Promise<void> {
    await this.redis.del(
      this.key('seen', campaignId),
      this.key('pending', campaignId),
      this.key('hosts', campaignId),
      this.key('round', campaignId),
    );
  }
}
