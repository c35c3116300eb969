import type { Redis } from 'ioredis';

/** How a host may be fetched: at least `minIntervalMs` between request starts, at most `maxInFlight` at once. */
export interface HostPace {
  minIntervalMs: number;
  maxInFlight: number;
}

/** The default pace of a host: one request a second, two at most in flight. */
export const DEFAULT_HOST_PACE: HostPace = { minIntervalMs: 1000, maxInFlight: 2 };

/** Answer of {@link PolitenessSlots.acquire}. */
export type SlotAnswer = { granted: true } | { granted: false; waitMs: number };

// KEYS[1] host hash, KEYS[2] in-flight zset. ARGV: now, token, minInterval, maxInFlight, leaseMs, ttlMs.
// The in-flight set holds lease tokens scored by expiry, so slots of a dead coordinator free themselves.
const ACQUIRE = `
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local backoff = tonumber(redis.call('HGET', KEYS[1], 'backoffUntil') or '0')
if backoff > now then return backoff - now end
local interval = math.max(tonumber(ARGV[3]), tonumber(redis.call('HGET', KEYS[1], 'crawlDelay') or '0'))
local last = tonumber(redis.call('HGET', KEYS[1], 'lastStart') or '0')
if last + interval > now then return last + interval - now end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[4]) then
  local soonest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  return math.max(50, math.min(interval, tonumber(soonest[2]) - now))
end
redis.call('HSET', KEYS[1], 'lastStart', now)
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[5]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
redis.call('PEXPIRE', KEYS[2], ARGV[6])
return 0
`;

// KEYS[1] host hash, KEYS[2] in-flight zset. ARGV: now, token, backoffMs (0 = success), ttlMs, claimant ('' when
// the back-off is the coordinator's own), unconfirmed cap, confirmation window. A claimant's back-off is capped
// unless a different claimant asked for one within the window.
const RELEASE = `
local now = tonumber(ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[2])
local backoff = tonumber(ARGV[3])
if backoff > 0 then
  local strikes = redis.call('HINCRBY', KEYS[1], 'strikes', 1)
  local wait = math.min(backoff * math.pow(2, math.min(strikes - 1, 6)), 3600000)
  local claimant = ARGV[5]
  if claimant ~= '' then
    local last = redis.call('HGET', KEYS[1], 'claimant')
    local lastAt = tonumber(redis.call('HGET', KEYS[1], 'claimedAt') or '0')
    local confirmed = last and last ~= claimant and now - lastAt <= tonumber(ARGV[7])
    if not confirmed then wait = math.min(wait, tonumber(ARGV[6])) end
    redis.call('HSET', KEYS[1], 'claimant', claimant, 'claimedAt', now)
  end
  redis.call('HSET', KEYS[1], 'backoffUntil', now + wait)
else
  redis.call('HSET', KEYS[1], 'strikes', 0)
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 0
`;

// KEYS[1] host schedule key. ARGV: now, count, interval, ttlMs. Returns the delay of each of `count` new jobs.
const SCHEDULE = `
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[3])
local nextAt = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
local delays = {}
for i = 1, tonumber(ARGV[2]) do
  delays[i] = nextAt - now
  nextAt = nextAt + interval
end
redis.call('SET', KEYS[1], nextAt, 'PX', math.max(tonumber(ARGV[4]), nextAt - now + 60000))
return delays
`;

/** Options for {@link PolitenessSlots}. */
export interface PolitenessSlotsOptions {
  /** Key prefix. Default `gleaner`. */
  prefix?: string;
  /** How long an unreleased slot is held before it frees itself, ms. Default 120,000. */
  leaseMs?: number;
  /** How long an idle host's state is kept, ms. Default 86,400,000 (a day). */
  ttlMs?: number;
  /** Longest back-off one claimant (a node's owner) can impose until another confirms it, ms. Default 120,000. */
  unconfirmedBackoffMaxMs?: number;
  /** How recent another claimant's back-off must be to confirm one, ms. Default 1,800,000 (30 minutes). */
  confirmWindowMs?: number;
}

/** How a slot is given back: after a success (no back-off) or with the back-off a response asked for. */
export interface SlotRelease {
  /** Pause the host for this long (doubling per strike in a row, up to an hour); 0 after a success. Default 0. */
  backoffMs?: number;
  /**
   * Who asked for the back-off (the owner of the node that reported the 429, 503 or time-out). Set, the back-off
   * counts for at most `unconfirmedBackoffMaxMs` until a different claimant confirms it, so one node cannot close a
   * host for everyone.
   */
  claimant?: string;
  now?: number;
}

/**
 * Per-host politeness in Redis, shared by every coordinator: atomic scripts grant a host's request slot only when
 * its minimum interval has passed (or its Crawl-delay, whichever is longer), fewer than its cap are in flight, and
 * no back-off (429, 503, timeouts, Retry-After) is running. Admission uses {@link schedule} to spread a host's jobs
 * over time, so a host with a million URLs queued never delays a host with ten.
 */
export class PolitenessSlots {
  private readonly prefix: string;
  private readonly leaseMs: number;
  private readonly ttlMs: number;
  private readonly unconfirmedBackoffMaxMs: number;
  private readonly confirmWindowMs: number;

  constructor(
    private readonly redis: Redis,
    options: PolitenessSlotsOptions = {},
  ) {
    this.prefix = options.prefix ?? 'gleaner';
    this.leaseMs = options.leaseMs ?? 120_000;
    this.ttlMs = options.ttlMs ?? 86_400_000;
    this.unconfirmedBackoffMaxMs = options.unconfirmedBackoffMaxMs ?? 120_000;
    this.confirmWindowMs = options.confirmWindowMs ?? 1_800_000;
  }

  private keys(host: string): [string, string] {
    return [`${this.prefix}:host:{${host}}`, `${this.prefix}:host:{${host}}:inflight`];
  }

  /** Takes a request slot for `token` (a job id) if the host allows one now; else says how long to wait. */
  async acquire(host: string, token: string, pace: HostPace, now = Date.now()): Promise<SlotAnswer> {
    const wait = Number(
      await this.redis.eval(
        ACQUIRE,
        2,
        ...this.keys(host),
        now,
        token,
        pace.minIntervalMs,
        pace.maxInFlight,
        this.leaseMs,
        this.ttlMs,
      ),
    );
    return wait <= 0 ? { granted: true } : { granted: false, waitMs: wait };
  }

  /**
   * Frees `token`'s slot. A back-off (a 429 or 503, a timeout, or Retry-After) pauses the host, doubling on each
   * strike in a row (up to an hour, or `unconfirmedBackoffMaxMs` while only one claimant asks); a success clears the
   * strikes.
   */
  async release(host: string, token: string, how: SlotRelease = {}): Promise<void> {
    await this.redis.eval(
      RELEASE,
      2,
      ...this.keys(host),
      how.now ?? Date.now(),
      token,
      Math.max(0, Math.round(how.backoffMs ?? 0)),
      this.ttlMs,
      how.claimant ?? '',
      this.unconfirmedBackoffMaxMs,
      this.confirmWindowMs,
    );
  }

  /** Records a host's Crawl-delay (from its robots.txt), ms; capped at 30 s. */
  async setCrawlDelay(host: string, delayMs: number): Promise<void> {
    const [key] = this.keys(host);
    await this.redis.hset(key, 'crawlDelay', Math.min(30_000, Math.max(0, Math.round(delayMs))));
    await this.redis.pexpire(key, this.ttlMs);
  }

  /** Delays (ms from now) for `count` new jobs of a host, spaced by `intervalMs` after those already planned. */
  async schedule(host: string, count: number, intervalMs: number, now = Date.now()): Promise<number[]> {
    if (count === 0) return [];
    const delays = (await this.redis.eval(
      SCHEDULE,
      1,
      `${this.prefix}:plan:{${host}}`,
      now,
      count,
      intervalMs,
      this.ttlMs,
    )) as number[];
    return delays.map(Number);
  }
}

/** The back-off a response asks for, ms: Retry-After (seconds or a date) for 429/503, else 0. */
export function backoffFor(
  status: number,
  retryAfter: string | undefined,
  minIntervalMs: number,
  now = Date.now(),
): number {
  if (status !== 429 && status !== 503) return 0;
  const fallback = Math.max(5000, minIntervalMs * 4);
  if (!retryAfter) return fallback;
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds)) return Math.min(3_600_000, Math.max(fallback, seconds * 1000));
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? fallback : Math.min(3_600_000, Math.max(fallback, date - now));
}
