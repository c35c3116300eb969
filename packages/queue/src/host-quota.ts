import type { Redis } from 'ioredis';

// KEYS[1] = per-campaign hash host → count. ARGV[1] = cap, ARGV[2..] = hosts (one per URL, in order).
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

/** A campaign's per-host page budget (`maxPagesPerHost`), counted atomically in Redis. */
export class HostQuota {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'gleaner',
  ) {}

  private key(campaignId: string): string {
    return `${this.prefix}:hostquota:{${campaignId}}`;
  }

  /** For each URL's host in order, whether it still fits under `cap` (and takes its place if so). */
  async take(campaignId: string, hosts: string[], cap: number): Promise<boolean[]> {
    if (hosts.length === 0) return [];
    const result = (await this.redis.eval(TAKE, 1, this.key(campaignId), cap, ...hosts)) as number[];
    return result.map((n) => n === 1);
  }

  /** Drops the counters (when a campaign ends). */
  async drop(campaignId: string): Promise<void> {
    await this.redis.del(this.key(campaignId));
  }
}
