import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Distinct paragraph hashes tracked per host before the least promising are evicted: 5,000. */
export const DEFAULT_MAX_HASHES_PER_HOST = 5000;

/** Seconds a host's counts live after its last page: 30 days. */
export const DEFAULT_PARAGRAPH_TTL_SECONDS = 30 * 24 * 3600;

/** Options for {@link ParagraphCounter}; every field has a default. */
export interface ParagraphCounterOptions {
  /** Distinct hashes kept per host (≥ 2). Default {@link DEFAULT_MAX_HASHES_PER_HOST}. */
  maxHashesPerHost?: number;
  /** Seconds a host's counts are kept after its last counted page. Default {@link DEFAULT_PARAGRAPH_TTL_SECONDS}. */
  ttlSeconds?: number;
}

/** When a paragraph counts as frequent on its host; see {@link ParagraphCounter.countPage}. */
export interface FrequencyRule {
  /** Pages (this one included) the paragraph must have appeared on. */
  minPages: number;
  /** Share (0–1) of the host's pages, counted since the paragraph was first tracked, it must have appeared on. */
  minShare: number;
}

/** What {@link ParagraphCounter.countPage} learned. */
export interface PageCount {
  /** Pages of the host counted so far, this one included. */
  pages: number;
  /** The page's hashes that are frequent on the host under the rule, in the order given. */
  frequent: string[];
}

// KEYS[1] = the host's hash: field 'n' = pages counted; each paragraph hash → "count:born", born being the value
// of 'n' when the hash was first tracked (so its share is count / (n − born + 1)).
// ARGV: 1 cap, 2 minPages, 3 minShare, 4 ttl ms, 5.. hashes (distinct, at most cap / 2).
// One script per page, so concurrent workers count each page and each of its paragraphs exactly once.
const COUNT_SCRIPT = `
local cap = tonumber(ARGV[1])
local minPages = tonumber(ARGV[2])
local minShare = tonumber(ARGV[3])
local pages = redis.call('HINCRBY', KEYS[1], 'n', 1)

local function parse(v)
  local sep = string.find(v, ':', 1, true)
  return tonumber(string.sub(v, 1, sep - 1)), tonumber(string.sub(v, sep + 1))
end

local hashes = {}
for i = 5, #ARGV do hashes[#hashes + 1] = ARGV[i] end
local values = {}
local missing = 0
if #hashes > 0 then
  values = redis.call('HMGET', KEYS[1], unpack(hashes))
  for i = 1, #hashes do
    if not values[i] then missing = missing + 1 end
  end
end

-- Full: keep the half with the highest share since first tracked; young hashes keep a fair chance, old rare ones go.
local size = redis.call('HLEN', KEYS[1]) - 1
if missing > 0 and size + missing > cap then
  local all = redis.call('HGETALL', KEYS[1])
  local entries = {}
  for i = 1, #all, 2 do
    if all[i] ~= 'n' then
      local c, b = parse(all[i + 1])
      entries[#entries + 1] = { all[i], c / (pages - b + 1), b }
    end
  end
  table.sort(entries, function(x, y)
    if x[2] ~= y[2] then return x[2] < y[2] end
    return x[3] < y[3]
  end)
  local drop = #entries - math.floor(cap / 2)
  local victims = {}
  for i = 1, drop do
    victims[#victims + 1] = entries[i][1]
    if #victims == 1000 then
      redis.call('HDEL', KEYS[1], unpack(victims))
      victims = {}
    end
  end
  if #victims > 0 then redis.call('HDEL', KEYS[1], unpack(victims)) end
  if drop > 0 then
    size = size - drop
    values = redis.call('HMGET', KEYS[1], unpack(hashes))
  end
end

local out = {}
for i, h in ipairs(hashes) do
  local c, b
  if values[i] then
    c, b = parse(values[i])
    c = c + 1
  elseif size < cap then
    c, b = 1, pages
    size = size + 1
  end
  if c then
    redis.call('HSET', KEYS[1], h, c .. ':' .. b)
    if c >= minPages and c >= minShare * (pages - b + 1) then out[#out + 1] = h end
  end
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return { pages, out }
`;
const COUNT_SHA = createHash('sha1').update(COUNT_SCRIPT).digest('hex');

const HASH = /^[0-9a-f]{8,64}$/;

/**
 * Counts, per host, on how many distinct pages each paragraph appeared, so that text repeated across a site
 * (navigation, footers, cookie banners) can be recognised. The caller hashes the paragraphs; this class only counts.
 *
 * Memory per host is bounded: at most `maxHashesPerHost` hashes (default 5,000). When a page would overflow the
 * table, the half with the lowest share (count over pages since the hash was first tracked; older first on ties) is
 * evicted in the same script — one O(cap log cap) pass every few dozen pages of a busy host. Repeated paragraphs
 * keep a high share and survive; a page's own text (count 1) fades and goes. A hash evicted and seen again starts
 * anew, which is why shares are measured from when a hash was first tracked, not from the host's first page.
 * With 16-hex-digit hashes a full table takes about 5,000 × 77 bytes ≈ 0.39 MB of Redis (measured with MEMORY
 * USAGE); most hosts stay far below.
 * Keys expire `ttlSeconds` after a host's last page.
 *
 * Key (one hash tag per scope and host): `{prefix}:paragraphs:{scope:host}`.
 */
export class ParagraphCounter {
  private readonly cap: number;
  private readonly ttlMs: number;

  /**
   * @param redis connection to use (not closed by the counter).
   * @param prefix key prefix. Default `gleaner`.
   * @param options table size and expiry; see {@link ParagraphCounterOptions}.
   */
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'gleaner',
    options: ParagraphCounterOptions = {},
  ) {
    this.cap = options.maxHashesPerHost ?? DEFAULT_MAX_HASHES_PER_HOST;
    this.ttlMs = Math.round((options.ttlSeconds ?? DEFAULT_PARAGRAPH_TTL_SECONDS) * 1000);
    if (!Number.isInteger(this.cap) || this.cap < 2 || !(this.ttlMs >= 1)) {
      throw new RangeError('maxHashesPerHost must be an integer ≥ 2 and ttlSeconds > 0');
    }
  }

  /** Most hashes one page may bring: half the table, so an eviction always leaves room for a whole page. */
  get maxHashesPerPage(): number {
    return Math.floor(this.cap / 2);
  }

  private key(scope: string, host: string): string {
    return `${this.prefix}:paragraphs:{${scope}:${host}}`;
  }

  /**
   * Counts one page of `host`: the host's page count and each distinct hash once, then answers which of the page's
   * hashes are frequent — seen on at least `rule.minPages` pages and on at least `rule.minShare` of the host's
   * pages since the hash was first tracked. Atomic across concurrent callers. A page counted twice (a retried job)
   * counts twice.
   * @param scope what the counts belong to, e.g. a campaign or dataset id.
   * @param hashes 8–64 lower-case hex digits each; duplicates are counted once; beyond
   *   {@link maxHashesPerPage} distinct hashes the rest are ignored.
   * @throws {RangeError} for a hash of another shape.
   */
  async countPage(
    scope: string,
    host: string,
    hashes: readonly string[],
    rule: FrequencyRule,
  ): Promise<PageCount> {
    for (const hash of hashes) {
      if (!HASH.test(hash))
        throw new RangeError(`paragraph hashes must be 8–64 lower-case hex digits, got "${hash}"`);
    }
    const distinct = [...new Set(hashes)].slice(0, this.maxHashesPerPage);
    const args = [this.key(scope, host), this.cap, rule.minPages, rule.minShare, this.ttlMs, ...distinct];
    let result: [number, string[]];
    try {
      result = (await this.redis.evalsha(COUNT_SHA, 1, ...args)) as [number, string[]];
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      result = (await this.redis.eval(COUNT_SCRIPT, 1, ...args)) as [number, string[]];
    }
    return { pages: Number(result[0]), frequent: result[1] };
  }

  /** Pages counted and hashes tracked for a host (zeros when unknown). */
  async stats(scope: string, host: string): Promise<{ pages: number; hashes: number }> {
    const key = this.key(scope, host);
    const [pages, fields] = await Promise.all([this.redis.hget(key, 'n'), this.redis.hlen(key)]);
    return pages === null ? { pages: 0, hashes: 0 } : { pages: Number(pages), hashes: fields - 1 };
  }

  /** Forgets a host's counts; memory is freed in the background. */
  async drop(scope: string, host: string): Promise<void> {
    await this.redis.unlink(this.key(scope, host));
  }
}
