import type { Redis } from 'ioredis';

// KEYS[1] = per-campaign hash key → count. ARGV[1] = cap, ARGV[2..] = keys (one per URL, in order).
const TAKE = `
local cap = tonumber(ARGV[1])
local out = {}
for i = 2, #ARGV do
  local n = tonumber(redis.call('HGET', KEYS[1], ARGV[i]) or '0')
  if n < cap then
    redis.call('HINCRBY', KEYS[1], ARGV[i], 1)
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
return out
`;

/**
 * Capped counters per campaign, counted atomically in Redis: the per-host page budget (`maxPagesPerHost`), and
 * the trap caps (query variants per path, dated pages per calendar shape). `name` keeps each kind apart.
 */
export class CappedCounter {
  constructor(
    private readonly redis: Redis,
    private readonly name: string,
    private readonly prefix = 'gleaner',
  ) {}

  private key(campaignId: string): string {
    return `${this.prefix}:count:${this.name}:{${campaignId}}`;
  }

  /** For each key in order, whether its count is still under `cap` (and counts it if so). */
  async take(campaignId: string, keys: string[], cap: number): Promise<boolean[]> {
    if (keys.length === 0) return [];
    const result = (await this.redis.eval(TAKE, 1, this.key(campaignId), cap, ...keys)) as number[];
    return result.map((n) => n === 1);
  }

  /** Drops the counters (when a campaign ends). */
  async drop(campaignId: string): Promise<void> {
    await this.redis.del(this.key(campaignId));
  }
}
