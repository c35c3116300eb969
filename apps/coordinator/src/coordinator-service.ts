import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { snapshotDir } from '@gleaner/config';
import { silentLogger, type Logger } from '@gleaner/core';
import { LocalBlobStore } from '@gleaner/blob-store';
import { WebhookSender } from '@gleaner/fetcher';
import {
  AccountStore,
  CampaignStore,
  DatasetStore,
  migrateDatabase,
  openDatabase,
  PointsStore,
  RecordStore,
  SnapshotStore,
  TrustStore,
  UrlStore,
  WebhookStore,
  type Database,
} from '@gleaner/db';
import {
  ApiKeyLimiter,
  GleanerQueues,
  LeaseSource,
  openRedis,
  PolitenessSlots,
  RobotsCache,
  type Redis,
} from '@gleaner/queue';
import { createApi } from './api/create-api.js';
import type { CoordinatorConfig } from './config.js';
import { NodeGateway } from './gateway/node-gateway.js';
import { registerOpsRoutes } from './metrics/ops-routes.js';

/** The coordinator process: the REST API and the node gateway on one HTTP server. */
export class CoordinatorService {
  private database!: Database;
  private redis!: Redis;
  private queues!: GleanerQueues;
  private gateway!: NodeGateway;
  private server!: Server;

  constructor(
    private readonly config: CoordinatorConfig,
    private readonly logger: Logger = silentLogger,
  ) {}

  /** Connects, applies migrations and listens; resolves with the base URL. */
  async start(): Promise<string> {
    const { config } = this;
    await migrateDatabase(config.DATABASE_URL);
    this.database = openDatabase({ url: config.DATABASE_URL });
    this.redis = openRedis(config.REDIS_URL);
    this.queues = new GleanerQueues({ connection: this.redis, prefix: config.GLEANER_QUEUE_PREFIX });
    const { db } = this.database;
    const accounts = new AccountStore(db);
    const campaigns = new CampaignStore(db);
    const urls = new UrlStore(db);
    const blobs = new LocalBlobStore(config.GLEANER_BLOB_DIR);
    const app = createApi({
      db,
      accounts,
      campaigns,
      urls,
      datasets: new DatasetStore(db),
      records: new RecordStore(db),
      webhooks: new WebhookStore(db),
      webhookSender: new WebhookSender({ allowPrivateNetwork: config.GLEANER_WEBHOOK_ALLOW_PRIVATE_NETWORK }),
      removals: { allowPrivateNetwork: config.GLEANER_REMOVAL_ALLOW_PRIVATE_NETWORK },
      queues: this.queues,
      blobs,
      snapshots: new SnapshotStore(db),
      snapshotDir: snapshotDir(config),
      limiter: new ApiKeyLimiter(this.redis, { prefix: config.GLEANER_QUEUE_PREFIX }),
      adminToken: config.GLEANER_ADMIN_TOKEN,
      maxNodesPerOwner: config.GLEANER_MAX_NODES_PER_OWNER,
      pairing: {
        accountPolicy: config.GLEANER_ACCOUNT_POLICY,
        ttlMs: config.GLEANER_PAIRING_TTL_SECONDS * 1000,
        intervalSeconds: config.GLEANER_PAIRING_INTERVAL_SECONDS,
        limits: { maxWrongCodes: config.GLEANER_PAIRING_MAX_WRONG_CODES },
      },
      trustedProxies: config.GLEANER_TRUSTED_PROXIES,
      ...(config.signingKey ? { signingKey: config.signingKey } : {}),
      logger: this.logger,
      connectedNodes: () => this.gateway.connectedNodes(),
    });
    registerOpsRoutes(app, {
      queues: this.queues,
      redis: this.redis,
      pingDatabase: () => this.database.pool.query('select 1'),
      blobs,
      connectedNodes: () => this.gateway.connectedNodes(),
      pendingConnections: () => this.gateway.pendingConnections(),
      trustTotals: async () => {
        const trust = new TrustStore(db);
        const [standings, votes, points] = await Promise.all([
          trust.standingCounts(),
          trust.voteCounts(),
          new PointsStore(db).networkTotals(),
        ]);
        return { standings, votes, points: { ...points } };
      },
      metricsTokens: [
        config.GLEANER_ADMIN_TOKEN,
        ...(config.GLEANER_METRICS_TOKEN ? [config.GLEANER_METRICS_TOKEN] : []),
      ],
    });
    this.gateway = new NodeGateway({
      accounts,
      campaigns,
      urls,
      queues: this.queues,
      leases: new LeaseSource({
        connection: this.redis,
        prefix: config.GLEANER_QUEUE_PREFIX,
        lockDurationMs: config.GLEANER_LEASE_LOCK_MS,
        stalledIntervalMs: Math.max(1000, Math.floor(config.GLEANER_LEASE_LOCK_MS / 2)),
        retryDelayScale: config.GLEANER_RETRY_DELAY_SCALE,
      }),
      blobs,
      politeness: new PolitenessSlots(this.redis, {
        prefix: config.GLEANER_QUEUE_PREFIX,
        leaseMs: config.GLEANER_JOB_TIMEOUT_MS + 60_000,
      }),
      robots: new RobotsCache(this.redis, { prefix: config.GLEANER_QUEUE_PREFIX }),
      trust: new TrustStore(db),
      ...(config.GLEANER_CANARY_URLS.length > 0
        ? { canaries: { urls: config.GLEANER_CANARY_URLS, secret: config.GLEANER_CANARY_SECRET } }
        : {}),
      logger: this.logger,
      nodeTimeoutMs: config.GLEANER_NODE_TIMEOUT_MS,
      probationDeadlineMs: config.GLEANER_PROBATION_DEADLINE_MS,
      maxSessionsPerOwner: config.GLEANER_MAX_SESSIONS_PER_OWNER,
      maxSessionsPerNetwork: config.GLEANER_MAX_SESSIONS_PER_NETWORK,
      trustedProxies: config.GLEANER_TRUSTED_PROXIES,
      preAuth: {
        maxFailedLogins: config.GLEANER_GATEWAY_MAX_FAILED_LOGINS,
        maxPendingPerAddress: config.GLEANER_GATEWAY_MAX_PENDING_PER_ADDRESS,
        connectsPerMinute: config.GLEANER_GATEWAY_CONNECTS_PER_MINUTE,
      },
      jobLimits: {
        timeoutMs: config.GLEANER_JOB_TIMEOUT_MS,
        maxBodyBytes: config.GLEANER_JOB_MAX_BODY_BYTES,
        maxRedirects: config.GLEANER_JOB_MAX_REDIRECTS,
      },
    });
    this.server = await new Promise<Server>((resolve) => {
      const server = serve(
        { fetch: app.fetch, hostname: config.GLEANER_HOST, port: config.GLEANER_PORT },
        () => resolve(server as Server),
      ) as Server;
    });
    await this.gateway.start(this.server);
    const address = this.server.address() as AddressInfo;
    const url = `http://${config.GLEANER_HOST}:${address.port}`;
    this.logger.info({ url }, 'coordinator listening');
    return url;
  }

  /** Drains nodes, stops listening and closes every connection. */
  async stop(): Promise<void> {
    await this.gateway?.close();
    await new Promise<void>((resolve) => {
      if (!this.server) return resolve();
      this.server.close(() => resolve());
      this.server.closeAllConnections?.();
    });
    await this.queues?.close();
    this.redis?.disconnect();
    await this.database?.close();
  }
}
