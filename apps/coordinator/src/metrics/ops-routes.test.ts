import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AccountStore,
  openDatabase,
  startEmbeddedPostgres,
  TrustStore,
  type EmbeddedPostgres,
} from '@gleaner/db';
import { startEmbeddedRedis, type EmbeddedRedis } from '@gleaner/queue';
import { loadCoordinatorConfig } from '../config.js';
import { CoordinatorService } from '../coordinator-service.js';

const ADMIN_TOKEN = 'ops-test-admin-token-0123';
const METRICS_TOKEN = 'ops-test-metrics-token-456';

describe('the coordinator’s /metrics and /ready on real services', () => {
  let dir: string;
  let redis: EmbeddedRedis;
  let postgres: EmbeddedPostgres;
  let service: CoordinatorService;
  let base: string;
  const blobDir = () => path.join(dir, 'blobs');

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ops-'));
    redis = await startEmbeddedRedis({ dataDir: path.join(dir, 'redis') });
    postgres = await startEmbeddedPostgres({ dataDir: 'memory://' });
    await mkdir(blobDir(), { recursive: true });
    service = new CoordinatorService(
      loadCoordinatorConfig({
        DATABASE_URL: postgres.url,
        REDIS_URL: redis.url,
        GLEANER_ADMIN_TOKEN: ADMIN_TOKEN,
        GLEANER_METRICS_TOKEN: METRICS_TOKEN,
        GLEANER_BLOB_DIR: blobDir(),
        GLEANER_PORT: '0',
        GLEANER_QUEUE_PREFIX: `test-ops-${process.pid}`,
      }),
    );
    base = await service.start();
  }, 60_000);
  afterAll(async () => {
    await service?.stop();
    await postgres?.stop();
    await redis?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  // First of the file: the trust gauges reuse one read of the database for 30 s.
  it('shows nodes by standing, votes by state and points by state', async () => {
    const database = openDatabase({ url: postgres.url });
    try {
      const accounts = new AccountStore(database.db);
      const { owner } = await accounts.createOwner('metrics-owner');
      const kept = await accounts.createNode(owner.id, 'key-kept', 'kept');
      const banned = await accounts.createNode(owner.id, 'key-banned', 'banned');
      expect(kept.id).not.toBe(banned.id);
      expect(await new TrustStore(database.db).ban(banned.id, 'test')).toBe(true);
    } finally {
      await database.close();
    }
    const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    const text = await res.text();
    expect(text).toMatch(/^gleaner_nodes\{standing="probation"\} 1$/m);
    expect(text).toMatch(/^gleaner_nodes\{standing="banned"\} 1$/m);
    expect(text).toMatch(/^gleaner_nodes\{standing="trusted"\} 0$/m);
    expect(text).toMatch(/^gleaner_points\{state="pending"\} 0$/m);
    expect(text).toMatch(/^gleaner_points\{state="settled"\} 0$/m);
    expect(text).toContain('# TYPE gleaner_votes gauge');
  });

  it('serves Prometheus metrics to the admin and the metrics token only', async () => {
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${base}/metrics`, {
      headers: { authorization: 'Bearer not-the-token-at-all' },
    });
    expect(wrong.status).toBe(401);
    for (const token of [ADMIN_TOKEN, METRICS_TOKEN]) {
      const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      const text = await res.text();
      for (const queue of ['fetch', 'process', 'frontier', 'settle', 'snapshot']) {
        expect(text).toContain(`gleaner_queue_jobs{queue="${queue}",state="waiting"} 0`);
      }
      expect(text).toMatch(/^gleaner_nodes_connected 0$/m);
      expect(text).toMatch(/^gleaner_leases_in_flight 0$/m);
      expect(text).toMatch(/^gleaner_coordinator_process_resident_memory_bytes \d+/m);
    }
  });

  it('is ready with every service up, and answers 503 naming the blob store, then Redis, when they fail', async () => {
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      ready: true,
      failed: [],
      checks: { database: 'ok', redis: 'ok', blobs: 'ok' },
    });

    // The blob folder gone, a file in its place: nothing can be stored.
    await rm(blobDir(), { recursive: true });
    await writeFile(blobDir(), 'not a folder');
    const noBlobs = await fetch(`${base}/ready`);
    expect(noBlobs.status).toBe(503);
    expect(await noBlobs.json()).toMatchObject({ ready: false, failed: ['blobs'] });
    await rm(blobDir());
    await mkdir(blobDir());
    expect((await fetch(`${base}/ready`)).status).toBe(200);

    await redis.stop();
    const noRedis = await fetch(`${base}/ready`);
    expect(noRedis.status).toBe(503);
    expect(await noRedis.json()).toMatchObject({
      ready: false,
      failed: ['redis'],
      checks: { database: 'ok', redis: 'failed', blobs: 'ok' },
    });
    // Liveness does not depend on the services.
    expect((await fetch(`${base}/health`)).status).toBe(200);
  }, 30_000);
});
