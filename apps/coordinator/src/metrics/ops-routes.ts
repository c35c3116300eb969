import type { OpenAPIHono } from '@hono/zod-openapi';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { BlobStore } from '@gleaner/blob-store';
import { queueDepths, type GleanerQueues, type Redis } from '@gleaner/queue';
import { bearerToken, secretsEqual } from '../api/auth.js';

/** What the coordinator's `/metrics` and `/ready` look at. */
export interface OpsDeps {
  queues: GleanerQueues;
  redis: Redis;
  /** Runs `select 1` on the database. */
  pingDatabase: () => Promise<unknown>;
  blobs: BlobStore;
  /** Nodes connected to this coordinator, with their leases. */
  connectedNodes: () => { inFlight: number }[];
  /** Gateway connections not authenticated (yet). */
  pendingConnections: () => number;
  /** Tokens that may read `/metrics` (the admin token, and a metrics token if one is set). */
  metricsTokens: string[];
  /** The network's trust and points as the database holds them; read at most every `trustEveryMs`. */
  trustTotals?: () => Promise<TrustTotals>;
  /** How long a read of {@link trustTotals} is reused, ms (it scans the points ledger). Default 30,000. */
  trustEveryMs?: number;
  /** Time each readiness check gets, ms. Default 2,000. */
  checkTimeoutMs?: number;
}

/** What the trust gauges show: nodes by standing, votes by state, points by state. */
export interface TrustTotals {
  standings: Record<string, number>;
  votes: Record<string, number>;
  points: Record<string, number>;
}

/** The readiness checks, by what `/ready` names in its answer. */
type Check = 'database' | 'redis' | 'blobs';

/**
 * Adds `GET /metrics` (Prometheus text format; it needs the admin token or the metrics token as a bearer token,
 * since it shares the public port) and `GET /ready` (200 when the database, Redis and the blob store all answer,
 * else 503 naming the ones that did not) to the coordinator's app. `/health` stays a liveness check that touches
 * nothing.
 */
export function registerOpsRoutes(app: OpenAPIHono, deps: OpsDeps): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'gleaner_coordinator_' });
  new Gauge({
    name: 'gleaner_queue_jobs',
    help: 'Jobs in each queue by state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const depth of await queueDepths(deps.queues))
        this.set({ queue: depth.queue, state: depth.state }, depth.jobs);
    },
  });
  new Gauge({
    name: 'gleaner_nodes_connected',
    help: 'Nodes connected and authenticated to this coordinator',
    registers: [registry],
    collect() {
      this.set(deps.connectedNodes().length);
    },
  });
  new Gauge({
    name: 'gleaner_leases_in_flight',
    help: 'Fetch jobs leased to this coordinator’s nodes and not yet answered',
    registers: [registry],
    collect() {
      this.set(deps.connectedNodes().reduce((sum, node) => sum + node.inFlight, 0));
    },
  });
  new Gauge({
    name: 'gleaner_gateway_pending_connections',
    help: 'Gateway connections that have not authenticated yet',
    registers: [registry],
    collect() {
      this.set(deps.pendingConnections());
    },
  });

  if (deps.trustTotals) registerTrustGauges(registry, deps.trustTotals, deps.trustEveryMs ?? 30_000);

  app.get('/metrics', async (c) => {
    const token = bearerToken(c);
    if (token === undefined || !deps.metricsTokens.some((allowed) => secretsEqual(token, allowed))) {
      return c.json(
        {
          error: {
            code: 'UNAUTHORIZED',
            message: '/metrics needs the admin or the metrics token as a bearer token',
          },
        },
        401,
      );
    }
    return c.body(await registry.metrics(), 200, { 'content-type': registry.contentType });
  });

  const timeoutMs = deps.checkTimeoutMs ?? 2000;
  const checks: Record<Check, () => Promise<unknown>> = {
    database: deps.pingDatabase,
    redis: () => deps.redis.ping(),
    blobs: async () => {
      // A write, a read and a delete: a store that only lists or only reads would not take the next body.
      const key = `ready/${process.pid}-${Date.now()}`;
      await deps.blobs.put(key, Buffer.from('ok'));
      await deps.blobs.get(key);
      await deps.blobs.delete(key);
    },
  };
  app.get('/ready', async (c) => {
    const results = await Promise.all(
      (Object.keys(checks) as Check[]).map(async (name) => {
        try {
          await withTimeout(checks[name](), timeoutMs);
          return [name, 'ok'] as const;
        } catch {
          // Only which check failed: the reason may name internal addresses, and this port is public.
          return [name, 'failed'] as const;
        }
      }),
    );
    const failed = results.filter(([, result]) => result !== 'ok').map(([name]) => name);
    return c.json(
      { ready: failed.length === 0, failed, checks: Object.fromEntries(results) },
      failed.length ? 503 : 200,
    );
  });
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Gauges of the network's trust: `gleaner_nodes{standing}`, `gleaner_votes{state}` and `gleaner_points{state}`
 * (credited, pending, settled, voided, reversed). One read of the database serves every gauge of a scrape, and is
 * reused for `everyMs`; a failed read leaves the gauges empty for that scrape rather than failing `/metrics`.
 */
function registerTrustGauges(registry: Registry, read: () => Promise<TrustTotals>, everyMs: number): void {
  let cached: { at: number; totals: Promise<TrustTotals> } | undefined;
  const totals = async (): Promise<TrustTotals | undefined> => {
    if (!cached || Date.now() - cached.at >= everyMs) cached = { at: Date.now(), totals: read() };
    try {
      return await cached.totals;
    } catch {
      cached = undefined;
      return undefined;
    }
  };
  const gauge = (
    name: string,
    help: string,
    label: string,
    pick: (t: TrustTotals) => Record<string, number>,
  ) =>
    new Gauge({
      name,
      help,
      labelNames: [label],
      registers: [registry],
      async collect() {
        this.reset();
        const read = await totals();
        if (!read) return;
        for (const [value, count] of Object.entries(pick(read))) this.set({ [label]: value }, count);
      },
    });
  gauge('gleaner_nodes', 'Registered nodes by standing (docs/trust.md)', 'standing', (t) => t.standings);
  gauge('gleaner_votes', 'Redundant-fetch votes by state', 'state', (t) => t.votes);
  gauge('gleaner_points', 'Points in the ledger by state, every owner together', 'state', (t) => t.points);
}
