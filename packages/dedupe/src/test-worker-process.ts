/**
 * A dedupe worker for the two-process test: reads `{ url, prefix, namespace, expectedDocuments, docs }` as JSON on
 * stdin, connects, prints `ready`, waits for a `go` line, checks every document with 8 in flight and prints one JSON
 * line `{ results: [{ id, duplicateOf }] }`.
 */
import { createInterface } from 'node:readline';
import { openRedis } from '@gleaner/queue';
import { MinHasher } from './min-hasher.js';
import { NearDuplicateIndex } from './near-duplicate-index.js';

interface WorkerInput {
  url: string;
  prefix: string;
  namespace: string;
  expectedDocuments: number;
  docs: { id: string; text: string }[];
}

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const input = JSON.parse(String((await lines.next()).value)) as WorkerInput;
const hasher = new MinHasher();
const signatures = input.docs.map((doc) => hasher.signature(doc.text));
const redis = openRedis(input.url);
const index = new NearDuplicateIndex(redis, {
  prefix: input.prefix,
  expectedDocuments: input.expectedDocuments,
});
await redis.ping();
process.stdout.write('ready\n');
await lines.next();
const results: { id: string; duplicateOf: string | null }[] = [];
let next = 0;
await Promise.all(
  Array.from({ length: 8 }, async () => {
    while (next < input.docs.length) {
      const i = next++;
      const verdict = await index.checkAndAdd(input.namespace, input.docs[i]!.id, signatures[i]!);
      results.push({ id: input.docs[i]!.id, duplicateOf: verdict.duplicateOf ?? null });
    }
  }),
);
await redis.quit();
process.stdout.write(`${JSON.stringify({ results })}\n`);
process.stdin.destroy();
