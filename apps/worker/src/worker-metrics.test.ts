import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GleanerQueues,
  openRedis,
  QueueNames,
  startEmbeddedRedis,
  UnrecoverableError,
  Worker,
  type EmbeddedRedis,
  type Job,
  type Redis,
} from '@gleaner/queue';
import { WorkerMetrics } from './worker-metrics.js';

describe('the worker’s /metrics, from real BullMQ workers on redis-server', () => {
  let dir: string;
  let server: EmbeddedRedis;
  let redis: Redis;
  let queues: GleanerQueues;
  let worker: Worker;
  let metrics: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'worker-metrics-'));
    server = await startEmbeddedRedis({ dataDir: dir });
    redis = openRedis(server.url);
    const prefix = `test-${process.pid}`;
    queues = new GleanerQueues({ connection: redis, prefix });
    const observed = new WorkerMetrics(queues);
    worker = new Worker(
      QueueNames.process,
      async (job: Job<{ kind?: string; want: string }>) => {
        if (job.data.want === 'throw') throw new UnrecoverableError('BAD_CONTENT_TYPE: image/png');
        return job.data.want === 'failed' ? { kind: 'failed', code: 'HTTP_ERROR' } : { kind: job.data.want };
      },
      { connection: redis, prefix },
    );
    observed.observe(worker);
    metrics = await observed.serve(0);
  });
  afterAll(async () => {
    await metrics?.close();
    await worker?.close();
    await queues?.close();
    redis?.disconnect();
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('counts pages by outcome, fetch errors by code and stage latency, beside the queue depths', async () => {
    const done = new Promise<void>((resolve) => {
      let seen = 0;
      const count = () => ++seen === 5 && resolve();
      worker.on('completed', count);
      worker.on('failed', count);
    });
    await queues.process.add('page', { want: 'accepted' } as never);
    await queues.process.add('page', { want: 'accepted' } as never);
    await queues.process.add('page', { want: 'duplicate' } as never);
    await queues.process.add('page', { want: 'failed' } as never);
    await queues.process.add('page', { want: 'throw' } as never);
    await done;
    await queues.fetch.add('later', {} as never, { delay: 60_000 });

    const res = await fetch(`${metrics.url}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('gleaner_pages_processed_total{outcome="accepted"} 2');
    expect(text).toContain('gleaner_pages_processed_total{outcome="duplicate"} 1');
    expect(text).toContain('gleaner_pages_processed_total{outcome="failed"} 2');
    expect(text).toContain('gleaner_fetch_errors_total{code="HTTP_ERROR"} 1');
    expect(text).toContain('gleaner_fetch_errors_total{code="BAD_CONTENT_TYPE"} 1');
    expect(text).toContain('gleaner_stage_duration_seconds_count{stage="process"} 5');
    expect(text).toContain('gleaner_queue_jobs{queue="fetch",state="delayed"} 1');
    expect(text).toContain('gleaner_queue_jobs{queue="process",state="failed"} 1');
    expect(text).toMatch(/^gleaner_worker_process_resident_memory_bytes \d+/m);
    expect(metrics.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${metrics.url}/other`)).status).toBe(404);
  });
});
