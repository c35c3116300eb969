import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalBlobStore } from '@gleaner/blob-store';
import { silentLogger } from '@gleaner/core';
import { startPostgresServer } from '@gleaner/testkit';
import { WebhookSender } from '@gleaner/fetcher';
import {
  AccountStore,
  CampaignStore,
  DatasetStore,
  migrateDatabase,
  openDatabase,
  RecordStore,
  SnapshotStore,
  startEmbeddedPostgres,
  UrlStore,
  WebhookStore,
  type Database,
} from '@gleaner/db';
import { ApiKeyLimiter, freePort, GleanerQueues, openRedis, startEmbeddedRedis } from '@gleaner/queue';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiDeps } from './api-deps.js';
import { createApi } from './create-api.js';

/** The API wired to a throwaway PGlite database and a private redis-server, for in-process tests. */
export interface ApiHarness {
  app: OpenAPIHono;
  deps: ApiDeps;
  database: Database;
  adminToken: string;
  /** The private redis-server's URL and this harness's key prefix: a second API over the same Redis uses both. */
  redisUrl: string;
  prefix: string;
  /** The nodes the API believes connected (stats warnings); tests change it. Starts with one idle node. */
  nodes: { render: boolean; paused: boolean }[];
  /** Sends a request in-process; `token` goes in `Authorization: Bearer`, `body` is sent as JSON. */
  call(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<Response>;
  /** Stops everything this harness started. */
  close(): Promise<void>;
}

/**
 * Starts PGlite (in memory; a real PostgreSQL server with `realPostgres`, for tests that hold a transaction open
 * while others run, which PGlite's one session serialises) and redis-server (temp folder, which also holds the blob
 * store), and builds the API over them with a unique key prefix.
 */
export async function startApiHarness(options: { realPostgres?: boolean } = {}): Promise<ApiHarness> {
  const postgres = options.realPostgres
    ? await startPostgresServer(await freePort())
    : await startEmbeddedPostgres({ dataDir: 'memory://' });
  if (options.realPostgres) await migrateDatabase(postgres.url);
  const database = openDatabase({ url: postgres.url, maxConnections: 4 });
  const redisDir = await mkdtemp(join(tmpdir(), 'gleaner-api-test-'));
  const redisServer = await startEmbeddedRedis({ dataDir: redisDir });
  const redis = openRedis(redisServer.url);
  const prefix = `test-${randomUUID()}`;
  const queues = new GleanerQueues({ connection: redis, prefix });
  const { db } = database;
  const adminToken = `admin-${randomUUID()}`;
  const nodes = [{ render: false, paused: false }];
  const deps: ApiDeps = {
    db,
    accounts: new AccountStore(db),
    campaigns: new CampaignStore(db),
    urls: new UrlStore(db),
    datasets: new DatasetStore(db),
    records: new RecordStore(db),
    webhooks: new WebhookStore(db),
    // Test receivers listen on loopback.
    webhookSender: new WebhookSender({ allowPrivateNetwork: true, timeoutMs: 2_000 }),
    // Test sites asking for their removal listen on loopback too.
    removals: { allowPrivateNetwork: true, timeoutMs: 2_000 },
    queues,
    blobs: new LocalBlobStore(join(redisDir, 'blobs')),
    snapshots: new SnapshotStore(db),
    snapshotDir: join(redisDir, 'snapshots'),
    limiter: new ApiKeyLimiter(redis, { prefix }),
    adminToken,
    logger: silentLogger,
    connectedNodes: () => nodes,
  };
  const app = createApi(deps);
  return {
    app,
    deps,
    database,
    adminToken,
    redisUrl: redisServer.url,
    prefix,
    nodes,
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
      if (options.body !== undefined) headers['content-type'] ??= 'application/json';
      const body = options.body === undefined ? undefined : JSON.stringify(options.body);
      return app.request(path, { method, headers, ...(body === undefined ? {} : { body }) });
    },
    async close() {
      await queues.close();
      await redis.quit();
      await redisServer.stop();
      await database.close();
      await postgres.stop();
      await rm(redisDir, { recursive: true, force: true });
    },
  };
}
