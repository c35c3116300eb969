/**
 * Redis memory accounting for the frontier benchmark: `used_memory` from `INFO memory`, and a census of the keys
 * under a prefix by kind, sized with `MEMORY USAGE` (every key of kinds with few keys, a sample of the rest).
 */
import type { Redis } from '@gleaner/queue';

/** `used_memory` from `INFO memory`, bytes. */
export async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  const match = /^used_memory:(\d+)/m.exec(info);
  if (!match?.[1]) throw new Error('INFO memory has no used_memory');
  return Number(match[1]);
}

/** One kind of key and how to recognise it. */
export interface KeyKind {
  label: string;
  pattern: RegExp;
}

/** Keys of one kind: how many, and their bytes (exact when every key was sized, else estimated from a sample). */
export interface KindUsage {
  label: string;
  keys: number;
  bytes: number;
  sampled: number;
}

/**
 * Counts every key matching `prefix*` by kind (the first pattern that matches; the rest go to `other`) and sizes
 * each kind with `MEMORY USAGE … SAMPLES 0` on up to `samplePerKind` keys spread evenly over the kind.
 */
export async function keyCensus(
  redis: Redis,
  prefix: string,
  kinds: KeyKind[],
  samplePerKind = 2000,
): Promise<KindUsage[]> {
  const byKind = new Map<string, string[]>();
  for (const kind of [...kinds.map((k) => k.label), 'other']) byKind.set(kind, []);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 10_000);
    cursor = next;
    for (const key of keys) {
      const kind = kinds.find((k) => k.pattern.test(key))?.label ?? 'other';
      byKind.get(kind)!.push(key);
    }
  } while (cursor !== '0');
  const out: KindUsage[] = [];
  for (const [label, keys] of byKind) {
    if (keys.length === 0) continue;
    const step = Math.max(1, Math.floor(keys.length / samplePerKind));
    const sample = keys.filter((_, i) => i % step === 0).slice(0, samplePerKind);
    const pipeline = redis.pipeline();
    for (const key of sample) pipeline.call('MEMORY', 'USAGE', key, 'SAMPLES', '0');
    const results = (await pipeline.exec()) ?? [];
    const sampledBytes = results.reduce((sum, [error, value]) => sum + (error ? 0 : Number(value ?? 0)), 0);
    out.push({
      label,
      keys: keys.length,
      bytes: Math.round((sampledBytes / sample.length) * keys.length),
      sampled: sample.length,
    });
  }
  return out;
}
