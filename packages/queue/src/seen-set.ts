import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** What the seen-set said about one URL hash. */
export type SeenVerdict = 'new' | 'seen' | 'limit';

/** Members kept exactly (a Redis set) per campaign before the Bloom filter takes over: 1,000,000. */
export const DEFAULT_EXACT_THRESHOLD = 1_000_000;

/** URLs per campaign the default Bloom filter is sized for: 50,000,000 (about 120 MB of Redis). */
export const DEFAULT_BLOOM_CAPACITY = 50_000_000;

/** The default Bloom filter's false-positive rate at its capacity: 1e-4 (one URL in 10,000 wrongly `seen`). */
export const DEFAULT_BLOOM_FALSE_POSITIVE_RATE = 1e-4;

/** Exact members moved into the Bloom filter per `admit` call after the crossover: 1,000. */
export const DEFAULT_MIGRATE_BATCH = 1000;

/** The largest Bloom filter Redis can hold in one string: 2^32 bits (512 MiB). */
export const MAX_BLOOM_BITS = 2 ** 32;

/** Options for {@link SeenSet}; every field has a default. */
export interface SeenSetOptions {
  /** Members per campaign kept exactly before switching to the Bloom filter. Default {@link DEFAULT_EXACT_THRESHOLD}. */
  exactThreshold?: number;
  /** Members (exact and Bloom together) the filter is sized for. Default {@link DEFAULT_BLOOM_CAPACITY}. */
  bloomCapacity?: number;
  /** False-positive rate when `bloomCapacity` members are in. Default {@link DEFAULT_BLOOM_FALSE_POSITIVE_RATE}. */
  bloomFalsePositiveRate?: number;
  /** Exact members moved into the filter per call after the crossover. Default {@link DEFAULT_MIGRATE_BATCH}. */
  migrateBatch?: number;
}

/** The shape of a Bloom filter; see {@link bloomParameters}. */
export interface BloomParameters {
  /** Bits in the filter (m). */
  bits: number;
  /** Bit positions per member (k). */
  hashes: number;
  /** Bytes of the Redis string when fully grown: ceil(bits / 8). */
  bytes: number;
  /** The expected false-positive rate at `capacity`, for the rounded k: (1 − e^(−k·n/m))^k. */
  falsePositiveRate: number;
}

/**
 * Sizes a Bloom filter for `capacity` members at `falsePositiveRate`: m = ⌈−n·ln p / (ln 2)²⌉ bits and
 * k = round(m/n · ln 2) hashes. The default (50M, 1e-4) gives m ≈ 958.5M bits (≈ 119.8 MB, 19.2 bits a URL), k = 13.
 * @throws {RangeError} when the filter would need more than {@link MAX_BLOOM_BITS} bits.
 */
export function bloomParameters(capacity: number, falsePositiveRate: number): BloomParameters {
  if (!(capacity >= 1) || !(falsePositiveRate > 0 && falsePositiveRate < 1)) {
    throw new RangeError('bloom capacity must be ≥ 1 and its false-positive rate in (0, 1)');
  }
  const bits = Math.ceil((-capacity * Math.log(falsePositiveRate)) / Math.LN2 ** 2);
  if (bits > MAX_BLOOM_BITS) {
    throw new RangeError(
      `a bloom filter for ${capacity} members at ${falsePositiveRate} needs more than 2^32 bits`,
    );
  }
  const hashes = Math.max(1, Math.round((bits / capacity) * Math.LN2));
  const falsePositive = (1 - Math.exp((-hashes * capacity) / bits)) ** hashes;
  return { bits, hashes, bytes: Math.ceil(bits / 8), falsePositiveRate: falsePositive };
}

/**
 * The k bit positions of a 32-hex-digit hash in a filter of `bits` bits, by enhanced double hashing: h1 and h2 are
 * 52-bit numbers read from the two halves of the hash (hex digits 1–13 and 17–29, exact in a Lua double) reduced
 * mod m; position i is x_i with x_0 = h1, x_{i+1} = x_i + y_i, y_0 = h2, y_{i+1} = y_i + i (all mod m).
 * The Lua script computes the same positions; exported for tests.
 */
export function bloomBitPositions(hash: string, bits: number, hashes: number): number[] {
  let x = parseInt(hash.slice(0, 13), 16) % bits;
  let y = parseInt(hash.slice(16, 29), 16) % bits;
  const out: number[] = [];
  for (let i = 0; i < hashes; i++) {
    out.push(x);
    x = (x + y) % bits;
    y = (y + i) % bits;
  }
  return out;
}

// KEYS: 1 exact set, 2 state hash {n: admitted count, m, k: filter shape once it exists}, 3 filter bits.
// ARGV: 1 maxPages, 2 exact threshold, 3 m, 4 k, 5 migrate batch, 6.. hashes.
// One script per batch, so concurrent admitters never overshoot maxPages nor both see a hash as new.
const ADMIT_SCRIPT = `
local maxPages = tonumber(ARGV[1])
local threshold = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[2], 'n', 'm', 'k')
local n = tonumber(state[1])
local counted = n ~= nil
if not counted then n = redis.call('SCARD', KEYS[1]) end
local m = tonumber(state[2])
local k = tonumber(state[3])
local changed = false

-- Each half of the hash gives 52 bits (13 hex digits), exact in a double; m ≤ 2^32 keeps every sum below 2^53.
local function positions(h)
  local x = tonumber(string.sub(h, 1, 13), 16) % m
  local y = tonumber(string.sub(h, 17, 29), 16) % m
  local out = {}
  for i = 0, k - 1 do
    out[i + 1] = x
    x = (x + y) % m
    y = (y + i) % m
  end
  return out
end

-- One BITFIELD per member sets its k bits: one command instead of k SETBITs, for Redis and for the AOF.
local function setAll(pos)
  local args = {}
  for i, p in ipairs(pos) do
    args[4 * i - 3] = 'SET'
    args[4 * i - 2] = 'u1'
    args[4 * i - 1] = p
    args[4 * i] = 1
  end
  redis.call('BITFIELD', KEYS[3], unpack(args))
end

local function allSet(pos)
  for _, p in ipairs(pos) do
    if redis.call('GETBIT', KEYS[3], p) == 0 then return false end
  end
  return true
end

-- Once a migration step finds fewer members than it asked for, the exact set is gone.
local exactLeft = true
local function migrate()
  local batch = tonumber(ARGV[5])
  local moved = redis.call('SPOP', KEYS[1], batch)
  for _, h in ipairs(moved) do setAll(positions(h)) end
  exactLeft = #moved == batch
end

if m then migrate() end

local out = {}
for i = 6, #ARGV do
  local h = ARGV[i]
  if not m then
    if redis.call('SISMEMBER', KEYS[1], h) == 1 then
      out[#out + 1] = 'seen'
    elseif n >= maxPages then
      out[#out + 1] = 'limit'
    elseif n < threshold then
      redis.call('SADD', KEYS[1], h)
      n = n + 1
      changed = true
      out[#out + 1] = 'new'
    else
      m = tonumber(ARGV[3])
      k = tonumber(ARGV[4])
      redis.call('HSET', KEYS[2], 'm', m, 'k', k)
      migrate()
      setAll(positions(h))
      n = n + 1
      changed = true
      out[#out + 1] = 'new'
    end
  else
    local pos = positions(h)
    if (exactLeft and redis.call('SISMEMBER', KEYS[1], h) == 1) or allSet(pos) then
      out[#out + 1] = 'seen'
    elseif n >= maxPages then
      out[#out + 1] = 'limit'
    else
      setAll(pos)
      n = n + 1
      changed = true
      out[#out + 1] = 'new'
    end
  end
end
if changed or (not counted and n > 0) then redis.call('HSET', KEYS[2], 'n', n) end
return out
`;
const ADMIT_SHA = createHash('sha1').update(ADMIT_SCRIPT).digest('hex');

const HASH = /^[0-9a-f]{32}$/;

/**
 * A campaign's seen-set in Redis: each URL hash is admitted once, and never more than `maxPages` in all.
 * A hash already present answers `seen`, so a retried admission can tell what it already did.
 *
 * Memory stays bounded: the first `exactThreshold` hashes (default 1M) go into an exact Redis set; past that, new
 * hashes go into a Bloom filter (a bit string, default 50M URLs at 1e-4 ≈ 120 MB), and each later call moves up to
 * `migrateBatch` exact members into the filter until the set is gone. A hash is `seen` if it is in the set or all
 * its bits are set, so nothing admitted is ever answered `new` again. The price: a new URL that collides in the
 * filter is answered `seen` and skipped — at most about `bloomFalsePositiveRate` of the URLs offered after the
 * crossover while the campaign stays under `bloomCapacity`, rising beyond it. The admitted count lives in a
 * counter, not in SCARD. The filter's shape is stored at the crossover, so instances built with other options
 * keep reading it correctly.
 *
 * Keys (one hash tag per campaign): `{prefix}:seen:{id}` (set), `…:state` (count and filter shape), `…:bloom`.
 */
export class SeenSet {
  private readonly exactThreshold: number;
  private readonly bloom: BloomParameters;
  private readonly migrateBatch: number;

  /**
   * @param redis connection to use (not closed by the seen-set).
   * @param prefix key prefix. Default `gleaner`.
   * @param options thresholds and filter sizing; see {@link SeenSetOptions}.
   */
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'gleaner',
    options: SeenSetOptions = {},
  ) {
    this.exactThreshold = options.exactThreshold ?? DEFAULT_EXACT_THRESHOLD;
    this.migrateBatch = options.migrateBatch ?? DEFAULT_MIGRATE_BATCH;
    if (!(this.exactThreshold >= 0) || !(this.migrateBatch >= 1)) {
      throw new RangeError('exactThreshold must be ≥ 0 and migrateBatch ≥ 1');
    }
    this.bloom = bloomParameters(
      options.bloomCapacity ?? DEFAULT_BLOOM_CAPACITY,
      options.bloomFalsePositiveRate ?? DEFAULT_BLOOM_FALSE_POSITIVE_RATE,
    );
  }

  private keys(campaignId: string): [set: string, state: string, bloom: string] {
    const set = `${this.prefix}:seen:{${campaignId}}`;
    return [set, `${set}:state`, `${set}:bloom`];
  }

  /**
   * Marks hashes as seen, in order, up to `maxPages` members; returns a verdict per hash: `seen` if admitted
   * before (or earlier in this batch, or a Bloom false positive), `limit` once `maxPages` members are in, else
   * `new`. Atomic across concurrent callers.
   * @param hashes 32 lower-case hex digits each (128 bits of SHA-256, as `urlHash` makes them).
   * @throws {RangeError} for a hash of another shape.
   */
  async admit(campaignId: string, hashes: string[], maxPages: number): Promise<SeenVerdict[]> {
    if (hashes.length === 0) return [];
    for (const hash of hashes) {
      if (!HASH.test(hash))
        throw new RangeError(`seen-set hashes must be 32 lower-case hex digits, got "${hash}"`);
    }
    const args = [
      ...this.keys(campaignId),
      maxPages,
      this.exactThreshold,
      this.bloom.bits,
      this.bloom.hashes,
      this.migrateBatch,
      ...hashes,
    ];
    try {
      return (await this.redis.evalsha(ADMIT_SHA, 3, ...args)) as SeenVerdict[];
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return (await this.redis.eval(ADMIT_SCRIPT, 3, ...args)) as SeenVerdict[];
    }
  }

  /** How many URLs the campaign admitted so far (Bloom false positives are not counted). */
  async size(campaignId: string): Promise<number> {
    const [set, state] = this.keys(campaignId);
    const count = await this.redis.hget(state, 'n');
    return count === null ? this.redis.scard(set) : Number(count);
  }

  /** Drops the set, the filter and the counter (when a campaign ends); memory is freed in the background. */
  async drop(campaignId: string): Promise<void> {
    await this.redis.unlink(...this.keys(campaignId));
  }
}
