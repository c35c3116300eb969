import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { QueueNames, queueDepths, type GleanerQueues, type Job, type Worker } from '@gleaner/queue';

/** What a job's handler returned, as far as the metrics read it. */
interface Outcome {
  kind?: unknown;
  code?: unknown;
}

/** Seconds: pipeline stages run from milliseconds (a duplicate) to a minute (a large snapshot). */
const STAGE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The worker's Prometheus metrics: queue depths by state (read from Redis at each scrape), pages processed by
 * outcome, fetch errors by code, each stage's latency (a queue, and for `process` the kind of job: page, robots,
 * sitemap, verify) and snapshot builds by state. They are read from the BullMQ workers' events, so the handlers
 * themselves carry no metrics code. {@link serve} answers `GET /metrics` on its own small HTTP server.
 */
export class WorkerMetrics {
  readonly registry = new Registry();
  private readonly pages: Counter;
  private readonly fetchErrors: Counter;
  private readonly stageSeconds: Histogram;
  private readonly snapshotBuilds: Counter;

  constructor(queues: GleanerQueues) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'gleaner_worker_' });
    new Gauge({
      name: 'gleaner_queue_jobs',
      help: 'Jobs in each queue by state',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        this.reset();
        for (const depth of await queueDepths(queues)) {
          this.set({ queue: depth.queue, state: depth.state }, depth.jobs);
        }
      },
    });
    this.pages = new Counter({
      name: 'gleaner_pages_processed_total',
      help: 'Pages the pipeline finished, by outcome (accepted, duplicate, failed, skipped, rejected, …)',
      labelNames: ['outcome'],
      registers,
    });
    this.fetchErrors = new Counter({
      name: 'gleaner_fetch_errors_total',
      help: 'Pages that ended in an error, by error code',
      labelNames: ['code'],
      registers,
    });
    this.stageSeconds = new Histogram({
      name: 'gleaner_stage_duration_seconds',
      help: 'Time a job of each pipeline stage took to run',
      labelNames: ['stage'],
      buckets: STAGE_BUCKETS,
      registers,
    });
    this.snapshotBuilds = new Counter({
      name: 'gleaner_snapshot_builds_total',
      help: 'Snapshot builds that ended, by state (published, failed)',
      labelNames: ['state'],
      registers,
    });
  }

  /** Counts what `worker` finishes from now on. */
  observe(worker: Worker): void {
    worker.on('completed', (job: Job, result: unknown) => {
      this.timeStage(worker.name, job);
      const outcome = (result ?? {}) as Outcome;
      if (worker.name === QueueNames.process && isPage(job)) {
        this.pages.inc({ outcome: String(outcome.kind ?? 'unknown') });
        if (outcome.kind === 'failed') this.fetchErrors.inc({ code: String(outcome.code ?? 'UNKNOWN') });
      }
      if (worker.name === QueueNames.snapshot && !isSchedule(job))
        this.snapshotBuilds.inc({ state: 'published' });
    });
    worker.on('failed', (job: Job | undefined, error: Error) => {
      if (!job) return;
      // Only a job's last attempt: the ones before are retried.
      const last = error.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
      if (!last) return;
      this.timeStage(worker.name, job);
      if (worker.name === QueueNames.process && isPage(job)) {
        this.pages.inc({ outcome: 'failed' });
        this.fetchErrors.inc({ code: /^([A-Z_]+):/.exec(error.message)?.[1] ?? 'UNKNOWN' });
      }
      if (worker.name === QueueNames.snapshot && !isSchedule(job))
        this.snapshotBuilds.inc({ state: 'failed' });
    });
  }

  /**
   * Serves `GET /metrics` on `host:port` (0 picks a free port); resolves with the server's base URL and a close
   * function. Loopback by default: the worker has no credentials to check, so expose it only where scrapers live.
   */
  async serve(port: number, host = '127.0.0.1'): Promise<{ url: string; close: () => Promise<void> }> {
    const server: Server = createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      this.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const { port: bound } = server.address() as AddressInfo;
    return {
      url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }

  private timeStage(queue: string, job: Job): void {
    if (job.processedOn === undefined || job.finishedOn === undefined) return;
    const kind = (job.data as { kind?: unknown } | undefined)?.kind;
    const stage = queue === QueueNames.process && typeof kind === 'string' ? `process:${kind}` : queue;
    this.stageSeconds.observe({ stage }, Math.max(0, job.finishedOn - job.processedOn) / 1000);
  }
}

/** A `process` job about a page (not robots.txt, a sitemap or a verification fetch). */
function isPage(job: Job): boolean {
  const kind = (job.data as { kind?: unknown } | undefined)?.kind;
  return kind === undefined || kind === 'page';
}

function isSchedule(job: Job): boolean {
  return (job.data as { kind?: unknown } | undefined)?.kind === 'schedule';
}
