// Temporary evidence script (deleted after use): sequential vs concurrent PolitenessSlots.schedule, and one job hash.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GleanerQueues, openRedis, PolitenessSlots, startEmbeddedRedis } from '@gleaner/queue';

const dir = await mkdtemp(path.join(tmpdir(), 'gleaner-frontier-scratch-'));
const server = await startEmbeddedRedis({ dataDir: dir });
const redis = openRedis(server.url);
try {
  const slots = new PolitenessSlots(redis, { prefix: 'x' });
  const hosts = Array.from({ length: 11 }, (_, i) => `h${i}.example`);
  for (const mode of ['sequential', 'concurrent', 'sequential', 'concurrent']) {
    const rounds = 2000;
    const start = performance.now();
    for (let r = 0; r < rounds; r++) {
      if (mode === 'sequential') for (const h of hosts) await slots.schedule(h, 4, 1000);
      else await Promise.all(hosts.map((h) => slots.schedule(h, 4, 1000)));
    }
    console.log(`${mode}: ${((performance.now() - start) / rounds).toFixed(3)} ms per 11-host enqueue`);
  }
  const queues = new GleanerQueues({ connection: redis, prefix: 'y' });
  await queues.enqueueFetches([
    { kind: 'page', campaignId: 'cmp_0123456789abcdefghij', urlId: 123456, url: 'https://site-1234.example/s3/item-57', depth: 1, render: false, delayMs: 5000 },
  ]);
  const key = 'y:fetch:u-123456';
  const fields = await redis.hgetall(key);
  console.log('MEMORY USAGE', await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'), 'encoding', await redis.object('ENCODING', key));
  for (const [k, v] of Object.entries(fields)) console.log(`  ${k} (${v.length} B): ${v}`);
  await queues.close();
} finally {
  redis.disconnect();
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}
