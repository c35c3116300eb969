import type { Redis } from 'ioredis';

/** What the seen-set said about one URL hash. */
export type SeenVerdict = 'new' | 'seen' | 'limit';

// KEYS[1] = seen set; ARGV[1] = max members; ARGV[2..] = hashes. Atomic, so concurrent admitters never overshoot.
const ADMIT_SCRIPT = `
local max = tonumber(ARGV[1])
local out = {}
for i = 2, #ARGV do
  if redis.call('SISMEMBER', KEYS[1], ARGV[i]) == 1 then
    out[#out + 1] = 'seen'
  elseif redis.call('SCARD', KEYS[1]) >= max then
    out[#out + 1] = 'limit'
  else
    redis.call('SADD', KEYS[1], ARGV[i])
    out[#out + 1] = 'new'
  end
end
return out
`;

/**
 * A campaign's seen-set in Redis: each URL hash is admitted once, and never more than `maxPages` in all.
 * A hash already present answers `seen`, so a retried admission can tell what it already did.
 */
export class SeenSet {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'gleaner',
  ) {}

  private key(campaignId: string): string {
    return `${this.prefix}:seen:{${campaignId}}`;
  }

  /** Marks hashes as seen, in order, up to `maxPages` members; returns a verdict per hash. */
  async admit(campaignId: string, hashes: string[], maxPages: number): Promise<SeenVerdict[]> {
    if (hashes.length === 0) return [];
    const result = (await this.redis.eval(ADMIT_SCRIPT, 1, this.key(campaignId), maxPages, ...hashes)) as string[];
    return result as SeenVerdict[];
  }

  /** How many URLs the campaign admitted so far. */
  async size(campaignId: string): Promise<number> {
    return this.redis.scard(this.key(campaignId));
  }

  /** Drops the set (when a campaign ends). */
  async drop(campaignId: string): Promise<void> {
    await this.redis.del(this.key(campaignId));
  }
}
