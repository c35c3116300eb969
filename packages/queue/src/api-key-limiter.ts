import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/** The limits of one API key; a limit left null does not apply. */
export interface KeyLimits {
  id: string;
  /** Most requests per minute, over every coordinator sharing this Redis. */
  requestsPerMinute: number | null;
  /** Most feed records per UTC day. */
  recordsPerDay: number | null;
  /** Most bytes served per UTC day. */
  bytesPerDay: number | null;
}

/** What a key used in one UTC day. */
export interface KeyUsage {
  /** The UTC day, `YYYY-MM-DD`. */
  day: string;
  requests: number;
  records: number;
  bytes: number;
}

/** Answer of {@link ApiKeyLimiter.admit}: go ahead (with the records left today), or wait. */
export type KeyAdmission =
  | { allowed: true; recordsLeft: number | null }
  | { allowed: false; limit: 'requestsPerMinute' | 'recordsPerDay' | 'bytesPerDay'; retryAfterMs: number };

/** Options of an {@link ApiKeyLimiter}. */
export interface ApiKeyLimiterOptions {
  /** Key prefix. Default `gleaner`. */
  prefix?: string;
  /** Days a key's daily usage is kept. Default 90. */
  usageRetentionDays?: number;
  /** Least time between two `lastUsedAt` writes for one key, ms. Default 60,000. */
  touchIntervalMs?: number;
  /** The clock, ms since the epoch. Default `Date.now`. */
  now?: () => number;
}

const DAY_MS = 86_400_000;
const RATE_WINDOW_SECONDS = 60;

// KEYS[1] the day's usage hash. ARGV: retention seconds. Counts the request, returns records and bytes so far.
const COUNT_REQUEST = `
local used = redis.call('HMGET', KEYS[1], 'records', 'bytes')
redis.call('HINCRBY', KEYS[1], 'requests', 1)
redis.call('EXPIRE', KEYS[1], ARGV[1])
return {tonumber(used[1] or '0'), tonumber(used[2] or '0')}
`;

/**
 * Per-key rate limits, daily quotas, usage metering and `lastUsedAt` throttling for lab API keys, all in Redis so
 * they hold across every coordinator. The request rate is limited with rate-limiter-flexible over a fixed
 * one-minute window. Quotas and metering share one hash per key and UTC day (`{prefix}:apikey:{id}:usage:<day>`,
 * fields `requests`, `records`, `bytes`): the day's usage is the quota's counter, so there is one count, not two.
 * Records and bytes are counted after a response is built (its size is not known before), so a request is refused
 * once the day's quota is used up, and a feed page is cut to the records left.
 */
export class ApiKeyLimiter {
  private readonly prefix: string;
  private readonly retentionSeconds: number;
  private readonly touchIntervalMs: number;
  private readonly now: () => number;
  /** One limiter per distinct requests-per-minute value (rate-limiter-flexible fixes `points` per instance). */
  private readonly rateLimiters = new Map<number, RateLimiterRedis>();

  constructor(
    private readonly redis: Redis,
    options: ApiKeyLimiterOptions = {},
  ) {
    this.prefix = options.prefix ?? 'gleaner';
    this.retentionSeconds = (options.usageRetentionDays ?? 90) * 86_400;
    this.touchIntervalMs = options.touchIntervalMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Lets one request of a key through, or says which limit refuses it and for how long: the minute's request rate
   * (until the window ends), or a daily quota already used up (until the next UTC midnight). Counts the request
   * in the day's usage when it is let through.
   */
  async admit(key: KeyLimits): Promise<KeyAdmission> {
    if (key.requestsPerMinute !== null) {
      try {
        await this.rateLimiter(key.requestsPerMinute).consume(`{${key.id}}`);
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        return { allowed: false, limit: 'requestsPerMinute', retryAfterMs: error.msBeforeNext };
      }
    }
    const [records, bytes] = (await this.redis.eval(
      COUNT_REQUEST,
      1,
      this.usageKey(key.id, this.day(0)),
      this.retentionSeconds,
    )) as [number, number];
    const untilMidnight = DAY_MS - (this.now() % DAY_MS);
    if (key.recordsPerDay !== null && records >= key.recordsPerDay)
      return { allowed: false, limit: 'recordsPerDay', retryAfterMs: untilMidnight };
    if (key.bytesPerDay !== null && bytes >= key.bytesPerDay)
      return { allowed: false, limit: 'bytesPerDay', retryAfterMs: untilMidnight };
    return { allowed: true, recordsLeft: key.recordsPerDay === null ? null : key.recordsPerDay - records };
  }

  /** Adds what a response served to the key's usage of the day. */
  async record(keyId: string, served: { records: number; bytes: number }): Promise<void> {
    const usageKey = this.usageKey(keyId, this.day(0));
    await this.redis
      .multi()
      .hincrby(usageKey, 'records', served.records)
      .hincrby(usageKey, 'bytes', served.bytes)
      .expire(usageKey, this.retentionSeconds)
      .exec();
  }

  /** A key's usage over the last `days` UTC days, today first; days without use read as zeros. */
  async usage(keyId: string, days: number): Promise<KeyUsage[]> {
    const dayNames = Array.from({ length: days }, (_, back) => this.day(back));
    const pipeline = this.redis.pipeline();
    for (const day of dayNames) pipeline.hmget(this.usageKey(keyId, day), 'requests', 'records', 'bytes');
    const replies = (await pipeline.exec()) ?? [];
    return dayNames.map((day, i) => {
      const [error, values] = replies[i] ?? [null, []];
      if (error) throw error;
      const [requests, records, bytes] = (values as (string | null)[]).map((v) => Number(v ?? 0));
      return { day, requests: requests ?? 0, records: records ?? 0, bytes: bytes ?? 0 };
    });
  }

  /** True at most once per `touchIntervalMs` per key over every coordinator: when to write `lastUsedAt`. */
  async shouldTouch(keyId: string): Promise<boolean> {
    const set = await this.redis.set(
      `${this.prefix}:apikey:{${keyId}}:touched`,
      '1',
      'PX',
      this.touchIntervalMs,
      'NX',
    );
    return set === 'OK';
  }

  private rateLimiter(points: number): RateLimiterRedis {
    let limiter = this.rateLimiters.get(points);
    if (!limiter) {
      limiter = new RateLimiterRedis({
        storeClient: this.redis,
        keyPrefix: `${this.prefix}:apikey-rate:${points}`,
        points,
        duration: RATE_WINDOW_SECONDS,
      });
      this.rateLimiters.set(points, limiter);
    }
    return limiter;
  }

  private usageKey(keyId: string, day: string): string {
    return `${this.prefix}:apikey:{${keyId}}:usage:${day}`;
  }

  /** The UTC day `back` days before today, `YYYY-MM-DD`. */
  private day(back: number): string {
    return new Date(this.now() - back * DAY_MS).toISOString().slice(0, 10);
  }
}
