import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openRedis, startEmbeddedRedis, type EmbeddedRedis, type Redis } from '@gleaner/queue';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MinHasher } from './min-hasher.js';
import { NearDuplicateIndex } from './near-duplicate-index.js';
import { SyntheticText } from './synthetic-text.js';

const hasher = new MinHasher();
let server: EmbeddedRedis;
let dataDir: string;
let redis: Redis;
let prefix: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'gleaner-dedupe-'));
  server = await startEmbeddedRedis({ dataDir });
});

afterAll(async () => {
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
});

beforeEach(() => {
  prefix = `test-${randomUUID()}`;
  redis = openRedis(server.url);
});

afterEach(async () => {
  await redis.quit();
});

async function keysUnder(keyPrefix: string): Promise<string[]> {
  return redis.keys(`${keyPrefix}*`);
}

/** `groups` groups of `size` texts of 400–600 words; members of a group differ by one word (Jaccard ≈ 0.98). */
function nearDuplicateGroups(
  seed: number,
  groups: number,
  size: number,
): { id: string; group: number; text: string }[][] {
  const generator = new SyntheticText(seed);
  return Array.from({ length: groups }, (_, group) => {
    const base = generator.document(generator.int(400, 600));
    return Array.from({ length: size }, (_, member) => {
      const words = [...base];
      if (member > 0) words[generator.int(0, words.length - 1)] = `edit${member}`;
      return { id: `g${group}-m${member}`, group, text: words.join(' ') };
    });
  });
}

describe('NearDuplicateIndex', () => {
  it('indexes an original, finds its near-duplicate and lets unrelated documents through', async () => {
    const index = new NearDuplicateIndex(redis, { prefix, expectedDocuments: 10_000 });
    const generator = new SyntheticText(11);
    const base = generator.document(500);
    const near = generator.edit(base, 0.005);
    const other = generator.document(500);
    expect(await index.checkAndAdd('ds1', 'a', hasher.signature(base.join(' ')))).toEqual({ candidates: [] });
    const verdict = await index.checkAndAdd('ds1', 'b', hasher.signature(near.join(' ')));
    expect(verdict.duplicateOf).toBe('a');
    expect(verdict.candidates).toEqual(['a']);
    expect(verdict.similarity).toBeGreaterThan(0.8);
    expect(await index.checkAndAdd('ds1', 'c', hasher.signature(other.join(' ')))).toEqual({
      candidates: [],
    });
    expect(await index.size('ds1')).toBe(2);
    // Namespaces are separate indexes.
    expect(
      (await index.checkAndAdd('ds2', 'b', hasher.signature(near.join(' ')))).duplicateOf,
    ).toBeUndefined();
  });

  it('answers "original" again for a retried original and changes nothing', async () => {
    const index = new NearDuplicateIndex(redis, { prefix, expectedDocuments: 10_000 });
    const signature = hasher.signature(new SyntheticText(12).document(300).join(' '));
    await index.checkAndAdd('ds', 'a', signature);
    expect(await index.checkAndAdd('ds', 'a', signature)).toEqual({ candidates: [] });
    expect(await index.size('ds')).toBe(1);
  });

  it('with verification, rejects a candidate that shares a band but little else; without, accepts it', async () => {
    const a = Uint32Array.from({ length: 112 }, (_, i) => 1000 + i);
    const b = Uint32Array.from({ length: 112 }, (_, i) => (i < 8 ? 1000 + i : 5000 + i * 3));
    const verified = new NearDuplicateIndex(redis, { prefix, expectedDocuments: 10_000 });
    await verified.checkAndAdd('v', 'a', a);
    expect(await verified.checkAndAdd('v', 'b', b)).toEqual({ candidates: ['a'] });
    expect(await verified.size('v')).toBe(2);
    const unverified = new NearDuplicateIndex(redis, { prefix, expectedDocuments: 10_000, verify: false });
    await unverified.checkAndAdd('u', 'a', a);
    expect(await unverified.checkAndAdd('u', 'b', b)).toEqual({ duplicateOf: 'a', candidates: ['a'] });
  });

  it('refuses a worker sized differently from the index', async () => {
    const signature = new Uint32Array(112);
    await new NearDuplicateIndex(redis, { prefix, expectedDocuments: 10_000 }).checkAndAdd(
      'ds',
      'a',
      signature,
    );
    await expect(
      new NearDuplicateIndex(redis, { prefix, expectedDocuments: 20_000 }).checkAndAdd('ds', 'b', signature),
    ).rejects.toThrow(/was built as/);
  });

  it('removes every key of a namespace and only those', async () => {
    const index = new NearDuplicateIndex(redis, { prefix, expectedDocuments: 2_000 });
    const generator = new SyntheticText(13);
    for (let i = 0; i < 300; i++) {
      await index.checkAndAdd('gone', `d${i}`, hasher.signature(generator.document(60).join(' ')));
    }
    await index.checkAndAdd('kept', 'd', hasher.signature(generator.document(60).join(' ')));
    expect((await keysUnder(`${prefix}:dd:{gone}:`)).length).toBeGreaterThan(300);
    await index.removeNamespace('gone');
    expect(await keysUnder(`${prefix}:dd:{gone}:`)).toEqual([]);
    expect((await keysUnder(`${prefix}:dd:{kept}:`)).length).toBeGreaterThan(0);
  });

  it('keeps band shards small enough for the compact hash encoding', async () => {
    const index = new NearDuplicateIndex(redis, { prefix, expectedDocuments: 500 });
    const generator = new SyntheticText(14);
    for (let i = 0; i < 500; i++)
      await index.checkAndAdd('ds', `d${i}`, hasher.signature(generator.document(40).join(' ')));
    for (const key of await keysUnder(`${prefix}:dd:{ds}:`)) {
      if ((await redis.type(key)) === 'hash') expect(await redis.object('ENCODING', key)).toBe('listpack');
    }
  });

  it('makes exactly one original per near-duplicate group when two connections check at once', async () => {
    const other = openRedis(server.url);
    try {
      const groups = nearDuplicateGroups(21, 150, 4);
      const [first, second] = [
        new NearDuplicateIndex(redis, { prefix }),
        new NearDuplicateIndex(other, { prefix }),
      ];
      // Each connection gets half of every group, in the opposite group order, all in flight at once.
      const jobs = groups
        .flatMap((group, g) =>
          group.map((doc, m) => ({
            doc,
            index: m % 2 ? first : second,
            order: m % 2 ? g : groups.length - g,
          })),
        )
        .sort((x, y) => x.order - y.order);
      const results = await Promise.all(
        jobs.map(async ({ doc, index }) => ({
          doc,
          verdict: await index.checkAndAdd('ds', doc.id, hasher.signature(doc.text)),
        })),
      );
      for (const group of groups) {
        const verdicts = results.filter((r) => r.doc.group === group[0]!.group);
        const originals = verdicts.filter((r) => r.verdict.duplicateOf === undefined);
        expect(originals).toHaveLength(1);
        for (const r of verdicts)
          if (r.verdict.duplicateOf) expect(r.verdict.duplicateOf).toBe(originals[0]!.doc.id);
      }
      expect(await first.size('ds')).toBe(groups.length);
    } finally {
      await other.quit();
    }
  });

  it('makes exactly one original per near-duplicate group when two processes check overlapping streams at once', async () => {
    const groups = nearDuplicateGroups(22, 200, 4);
    // Worker 0 gets members 0–2 of every group in order; worker 1 members 1–3 in reverse order (overlapping ids).
    const streams = [
      groups.flatMap((group) => group.slice(0, 3)),
      groups.flatMap((group) => group.slice(1)).reverse(),
    ];
    const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'test-worker-process.ts');
    const children = streams.map((docs) => {
      const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', script], {
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      child.stdin.write(
        `${JSON.stringify({ url: server.url, prefix, namespace: 'ds', expectedDocuments: 10_000_000, docs })}\n`,
      );
      const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      return { child, lines, exited };
    });
    for (const { lines } of children) expect((await lines.next()).value).toBe('ready');
    for (const { child } of children) child.stdin.write('go\n');
    const outputs = await Promise.all(
      children.map(
        async ({ lines }) =>
          JSON.parse(String((await lines.next()).value)) as {
            results: { id: string; duplicateOf: string | null }[];
          },
      ),
    );
    expect(await Promise.all(children.map(({ exited }) => exited))).toEqual([0, 0]);
    const verdicts = new Map<string, (string | null)[]>();
    for (const { results } of outputs) {
      for (const { id, duplicateOf } of results) verdicts.set(id, [...(verdicts.get(id) ?? []), duplicateOf]);
    }
    for (const group of groups) {
      const originals = group.filter((doc) => verdicts.get(doc.id)!.every((d) => d === null));
      expect(originals).toHaveLength(1);
      for (const doc of group) {
        for (const d of verdicts.get(doc.id)!) expect([null, originals[0]!.id]).toContain(d);
      }
    }
  });
});
