import type { Redis } from '@gleaner/queue';
import {
  bandHashes,
  bBitSketch,
  DEFAULT_BANDS,
  jaccardFromSketchMatches,
  sketchMatchesForThreshold,
} from './lsh-bands.js';

/** Options for {@link NearDuplicateIndex}. */
export interface NearDuplicateIndexOptions {
  /** Key prefix. Default `gleaner`. Keys are `<prefix>:dd:{<namespace>}:…`, one hash slot per namespace. */
  prefix?: string;
  /**
   * Documents one namespace is sized for. Default 10,000,000. Sets the number of band shards (about 80 entries per
   * shard at this size, under Redis's 128-entry small-hash limit). Every worker must use the same value: the index
   * records it and refuses a mismatch.
   */
  expectedDocuments?: number;
  /** LSH bands; the signature length must be a multiple. Default 14 (8 rows each for 112 values). */
  bands?: number;
  /**
   * Check each band candidate against a 4-bit sketch of its signature (56 bytes per document for 112 values) and call
   * it a duplicate only when the estimated Jaccard reaches `threshold`. Default true. Without it, any shared band
   * makes a duplicate: faster and 60 bytes per document smaller, but pairs near Jaccard 0.6–0.75 are flagged too.
   */
  verify?: boolean;
  /** Estimated Jaccard a verified duplicate must reach. Default 0.8. */
  threshold?: number;
}

/** What {@link NearDuplicateIndex.checkAndAdd} decided for one document. */
export interface NearDuplicateVerdict {
  /** The original this document nearly duplicates; absent when the document is an original (and is now indexed). */
  duplicateOf?: string;
  /** Estimated Jaccard with `duplicateOf` (from the sketch); absent without verification. */
  similarity?: number;
  /** Every indexed document that shares at least one band, `duplicateOf` included, in band order. */
  candidates: string[];
}

const SKETCH_BITS = 4;
const BAND_SHARD_FILL = 80;
const DOCS_PER_ID_SHARD = 120;

// KEYS[1..n] = band shards, KEYS[n+1] = counter, KEYS[n+2] = config.
// ARGV[1] config, [2] doc id, [3] sketch ('' = no verification), [4] min matches, [5] key base, [6] docs per id
// shard, [7..6+n] band fields. One call per document, so concurrent workers see each other's originals.
const CHECK_AND_ADD = `
local nb = #KEYS - 2
local cfg = redis.call('GET', KEYS[nb + 2])
if not cfg then
  redis.call('SET', KEYS[nb + 2], ARGV[1])
elseif cfg ~= ARGV[1] then
  return redis.error_reply('ERR near-duplicate index was built as "' .. cfg .. '", not "' .. ARGV[1] .. '"')
end
local docId, sketch, minMatches, base, perShard = ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5], tonumber(ARGV[6])
local seen, ords = {}, {}
for b = 1, nb do
  local ord = redis.call('HGET', KEYS[b], ARGV[6 + b])
  if ord and not seen[ord] then
    seen[ord] = true
    ords[#ords + 1] = ord
  end
end
local ids, best, bestMatches = {}, nil, -1
for _, ord in ipairs(ords) do
  local n = tonumber(ord)
  local shard, field = string.format('%d', math.floor(n / perShard)), string.format('%d', n % perShard)
  local id = redis.call('HGET', base .. 'i:' .. shard, field) or ''
  if id == docId then
    return {'known', '', -1}
  end
  ids[#ids + 1] = id
  if sketch == '' then
    if not best then best = id end
  else
    local other = redis.call('HGET', base .. 's:' .. shard, field)
    if other and #other == #sketch then
      local m = 0
      for i = 1, #sketch do
        local x, y = string.byte(sketch, i), string.byte(other, i)
        if x % 16 == y % 16 then m = m + 1 end
        if math.floor(x / 16) == math.floor(y / 16) then m = m + 1 end
      end
      if m >= minMatches and m > bestMatches then
        best, bestMatches = id, m
      end
    end
  end
end
local out = {'original', '', bestMatches}
if best then
  out[1], out[2] = 'duplicate', best
else
  local n = redis.call('INCR', KEYS[nb + 1])
  local shard, field = string.format('%d', math.floor(n / perShard)), string.format('%d', n % perShard)
  redis.call('HSET', base .. 'i:' .. shard, field, docId)
  if sketch ~= '' then redis.call('HSET', base .. 's:' .. shard, field, sketch) end
  for b = 1, nb do redis.call('HSETNX', KEYS[b], ARGV[6 + b], n) end
end
for _, id in ipairs(ids) do out[#out + 1] = id end
return out
`;

type CheckAndAddReply = [
  kind: 'original' | 'duplicate' | 'known',
  duplicateOf: string,
  matches: number,
  ...ids: string[],
];
type ScriptArg = string | number | Buffer;
type CheckAndAddCommand = (numKeys: number, ...args: ScriptArg[]) => Promise<CheckAndAddReply>;
const COMMAND = 'gleanerDedupeCheckAndAdd';

/** Registers the script on the connection once (ioredis then runs it by EVALSHA, sending the body only once). */
function checkAndAddCommand(redis: Redis): CheckAndAddCommand {
  const commands = redis as unknown as Record<string, CheckAndAddCommand | undefined>;
  if (typeof commands[COMMAND] !== 'function') redis.defineCommand(COMMAND, { lua: CHECK_AND_ADD });
  const command = commands[COMMAND]!;
  return command.bind(redis);
}

/**
 * A MinHash LSH index of near-duplicate documents in Redis, shared by every worker. Per namespace (a dataset id) it
 * keeps, for each band of each original document, the band hash → the document's ordinal, in small Redis hashes
 * sharded by band hash (listpack-encoded, so an entry costs about a dozen bytes); an ordinal → document id map; and,
 * with `verify`, a 56-byte 4-bit sketch per document. Near-duplicates themselves are not stored.
 *
 * {@link checkAndAdd} runs as one Lua script per document, so of two near-duplicates checked at the same time by
 * two workers exactly one becomes the original. All keys of a namespace share one hash tag, so the index works on
 * Redis Cluster (one namespace lives on one node).
 */
export class NearDuplicateIndex {
  private readonly prefix: string;
  private readonly bands: number;
  private readonly verify: boolean;
  private readonly threshold: number;
  private readonly shardsPerBand: number;
  private readonly run: CheckAndAddCommand;

  constructor(
    private readonly redis: Redis,
    options: NearDuplicateIndexOptions = {},
  ) {
    this.prefix = options.prefix ?? 'gleaner';
    this.bands = options.bands ?? DEFAULT_BANDS;
    this.verify = options.verify ?? true;
    this.threshold = options.threshold ?? 0.8;
    this.shardsPerBand = Math.max(1, Math.ceil((options.expectedDocuments ?? 10_000_000) / BAND_SHARD_FILL));
    this.run = checkAndAddCommand(redis);
  }

  private keyBase(namespace: string): string {
    return `${this.prefix}:dd:{${namespace}}:`;
  }

  private config(signatureLength: number): string {
    return `v1 bands=${this.bands} values=${signatureLength} shards=${this.shardsPerBand} sketch=${SKETCH_BITS}`;
  }

  /**
   * Looks `signature` up among the namespace's originals and, when none is a near-duplicate, adds the document as an
   * original, atomically. Checking a document id that is already an original answers "original" again and changes
   * nothing, so a retried job is safe.
   */
  async checkAndAdd(namespace: string, docId: string, signature: Uint32Array): Promise<NearDuplicateVerdict> {
    const base = this.keyBase(namespace);
    const hashes = bandHashes(signature, this.bands);
    const keys = hashes.map(
      (hash, band) =>
        `${base}b:${(band * this.shardsPerBand + (hash.high % this.shardsPerBand)).toString(36)}`,
    );
    keys.push(`${base}n`, `${base}cfg`);
    const sketch = this.verify ? bBitSketch(signature, SKETCH_BITS) : '';
    const minMatches = sketchMatchesForThreshold(this.threshold, signature.length, SKETCH_BITS);
    const reply = await this.run(
      keys.length,
      ...keys,
      this.config(signature.length),
      docId,
      sketch,
      minMatches,
      base,
      DOCS_PER_ID_SHARD,
      ...hashes.map((hash) => hash.low),
    );
    const [kind, duplicateOf, matches, ...candidates] = reply;
    if (kind !== 'duplicate') return { candidates };
    const verdict: NearDuplicateVerdict = { duplicateOf, candidates };
    if (this.verify) verdict.similarity = jaccardFromSketchMatches(matches, signature.length, SKETCH_BITS);
    return verdict;
  }

  /** Number of originals indexed in a namespace. */
  async size(namespace: string): Promise<number> {
    return Number((await this.redis.get(`${this.keyBase(namespace)}n`)) ?? 0);
  }

  /** Deletes a namespace's whole index (its keys are enumerated, not scanned, so this also works on a cluster). */
  async removeNamespace(namespace: string): Promise<void> {
    const base = this.keyBase(namespace);
    const config = await this.redis.get(`${base}cfg`);
    const shards = Number(/shards=(\d+)/.exec(config ?? '')?.[1] ?? this.shardsPerBand);
    const bands = Number(/bands=(\d+)/.exec(config ?? '')?.[1] ?? this.bands);
    const idShards = Math.floor((await this.size(namespace)) / DOCS_PER_ID_SHARD) + 1;
    const batch: string[] = [];
    const flush = async (): Promise<void> => {
      if (batch.length > 0) await this.redis.unlink(...batch.splice(0));
    };
    for (let i = 0; i < bands * shards; i++) {
      batch.push(`${base}b:${i.toString(36)}`);
      if (batch.length >= 1000) await flush();
    }
    for (let i = 0; i < idShards; i++) {
      batch.push(`${base}i:${i}`, `${base}s:${i}`);
      if (batch.length >= 1000) await flush();
    }
    batch.push(`${base}n`, `${base}cfg`);
    await flush();
  }
}
