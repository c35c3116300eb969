import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import {
  authMessage,
  CloseCodes,
  PROTOCOL_VERSION,
  RetryableError,
  silentLogger,
  verifyMessage,
  type Logger,
} from '@gleaner/core';
import { AuthMessageSchema, NodeControlMessageSchema, type FetchLimits } from '@gleaner/contracts';
import type { AccountStore, CampaignStore, TrustStore, UrlStore } from '@gleaner/db';
import type { BlobStore } from '@gleaner/blob-store';
import type { GleanerQueues, LeaseSource, PolitenessSlots } from '@gleaner/queue';
import { CampaignStatusCache } from './campaign-status-cache.js';
import { CanaryJobs, type CanaryOptions } from './canary-jobs.js';
import { clientAddress, networkOf } from './client-address.js';
import { LeaseDispatcher } from './lease-dispatcher.js';
import { LeaseWindows, type LeaseWindowsOptions } from './lease-windows.js';
import { NodeSession } from './node-session.js';
import { PreAuthGuard, type PreAuthLimits } from './pre-auth-guard.js';
import type { RobotsSource } from './redirect-target-check.js';
import { ResultHandler } from './result-handler.js';

/** Collaborators and settings of the {@link NodeGateway}. */
export interface NodeGatewayOptions {
  accounts: AccountStore;
  campaigns: CampaignStore;
  urls: UrlStore;
  queues: GleanerQueues;
  leases: LeaseSource;
  politeness: PolitenessSlots;
  blobs: BlobStore;
  /** The workers' robots.txt cache, for judging where redirects lead. */
  robots: RobotsSource;
  /** Nodes' trust and bans. */
  trust: TrustStore;
  /** Canary pages to mix into nodes' work; none without. */
  canaries?: CanaryOptions;
  logger?: Logger;
  /** Limits sent with every job. */
  jobLimits: FetchLimits;
  /** How often the gateway sends heartbeats, ms. Default 10,000. */
  heartbeatMs?: number;
  /** A node silent for this long is dropped and its jobs handed back, ms. Default 30,000. */
  nodeTimeoutMs?: number;
  /** Time a node has to authenticate after connecting, ms. Default 10,000. */
  authTimeoutMs?: number;
  /** Sessions one owner may hold at once. Default 16. */
  maxSessionsPerOwner?: number;
  /** Sessions one network (/24 of IPv4, /48 of IPv6) may hold at once. Default 16. */
  maxSessionsPerNetwork?: number;
  /** Addresses of reverse proxies whose `X-Forwarded-For` is believed. Default none. */
  trustedProxies?: readonly string[];
  /** Slow start of each node's leases. */
  leaseWindows?: LeaseWindowsOptions;
  /** Time a node that has not yet proven itself gets to answer a job, ms. Default 15,000. */
  probationDeadlineMs?: number;
  /** What a client may do before it has authenticated (see {@link PreAuthGuard} for the defaults). */
  preAuth?: PreAuthLimits;
}

/** The WebSocket path nodes connect to. */
export const NODE_CONNECT_PATH = '/v1/nodes/connect';

/**
 * The node gateway: authenticates nodes by signature, keeps one session per node id and caps sessions per owner and
 * per network, leases fetch jobs to them within a slow-start window (never more than they declared), keeps the
 * leases' locks alive, verifies signed results, and takes back the jobs of nodes that disconnect, go silent or let a
 * lease lapse (a lapsed job never returns to the node that let it lapse).
 */
export class NodeGateway {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  private readonly sessions = new Set<NodeSession>();
  private readonly logger: Logger;
  private readonly dispatcher: LeaseDispatcher;
  private readonly results: ResultHandler;
  private readonly windows: LeaseWindows;
  private readonly trustedProxies: ReadonlySet<string>;
  private readonly guard: PreAuthGuard;
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly options: NodeGatewayOptions) {
    this.logger = options.logger ?? silentLogger;
    this.windows = new LeaseWindows(options.leaseWindows);
    this.trustedProxies = new Set(options.trustedProxies ?? []);
    this.guard = new PreAuthGuard(this.logger, options.preAuth);
    const statuses = new CampaignStatusCache(options.campaigns);
    const canaries = options.canaries ? new CanaryJobs(options.canaries) : undefined;
    this.dispatcher = new LeaseDispatcher({
      leases: options.leases,
      statuses,
      politeness: options.politeness,
      sessions: this.sessions,
      jobLimits: options.jobLimits,
      logger: this.logger,
      ...(options.probationDeadlineMs === undefined
        ? {}
        : { probationDeadlineMs: options.probationDeadlineMs }),
      ...(canaries ? { canaries } : {}),
    });
    this.results = new ResultHandler({
      leases: options.leases,
      urls: options.urls,
      queues: options.queues,
      blobs: options.blobs,
      politeness: options.politeness,
      statuses,
      robots: options.robots,
      trust: options.trust,
      ...(canaries ? { canaries } : {}),
      logger: this.logger,
      onSlotFreed: () => this.dispatcher.wake(),
    });
  }

  /** Starts serving upgrades on `server` and leasing jobs. */
  async start(server: Server): Promise<void> {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = (request.url ?? '').split('?')[0];
      if (path !== NODE_CONNECT_PATH) {
        socket.destroy();
        return;
      }
      const address = clientAddress(
        request.socket.remoteAddress,
        request.headers['x-forwarded-for'],
        this.trustedProxies,
      );
      void this.guard.admit(address).then((retryAfterSeconds) => {
        if (retryAfterSeconds !== undefined) {
          socket.end(
            `HTTP/1.1 429 Too Many Requests\r\nRetry-After: ${retryAfterSeconds}\r\n` +
              'Connection: close\r\nContent-Length: 0\r\n\r\n',
          );
          return;
        }
        this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, socket, address));
      });
    });
    await this.options.leases.start();
    this.dispatcher.start();
    const heartbeatMs = this.options.heartbeatMs ?? 10_000;
    this.timers.push(setInterval(() => this.heartbeat(), heartbeatMs));
    this.timers.push(
      setInterval(() => void this.maintainLeases(), Math.max(1000, this.options.leases.lockDurationMs / 3)),
    );
  }

  /** Nodes connected and authenticated. */
  connectedNodes(): {
    nodeId: string;
    inFlight: number;
    paused: boolean;
    render: boolean;
    addressPrefix: string | undefined;
  }[] {
    return [...this.sessions].map((s) => ({
      nodeId: s.nodeId,
      inFlight: s.leases.size,
      paused: s.paused,
      render: s.capabilities.render,
      addressPrefix: s.addressPrefix,
    }));
  }

  /** Connections that have not authenticated (yet). */
  pendingConnections(): number {
    return this.wss.clients.size - this.sessions.size;
  }

  private accept(ws: WebSocket, socket: Duplex, address: string | undefined): void {
    const authenticated = this.guard.watch(ws, socket, address);
    const nonce = randomBytes(24).toString('base64url');
    ws.send(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, nonce }));
    const authTimer = setTimeout(() => {
      this.guard.failedLogin(address, 'timeout');
      ws.close(CloseCodes.authFailed, 'authentication timed out');
    }, this.options.authTimeoutMs ?? 10_000);
    ws.once('message', (data: RawData, isBinary: boolean) => {
      clearTimeout(authTimer);
      void this.authenticate(ws, nonce, data, isBinary, address, authenticated).catch((error: unknown) => {
        this.logger.error({ err: error }, 'node authentication failed unexpectedly');
        ws.close(CloseCodes.authFailed, 'authentication failed');
      });
    });
    ws.on('close', () => clearTimeout(authTimer));
    ws.on('error', () => {});
  }

  private async authenticate(
    ws: WebSocket,
    nonce: string,
    data: RawData,
    isBinary: boolean,
    address: string | undefined,
    authenticated: () => void,
  ): Promise<void> {
    const parsed = isBinary ? undefined : safeJson(data.toString());
    const version = (parsed as { protocol?: unknown } | undefined)?.protocol;
    if (typeof version === 'number' && version !== PROTOCOL_VERSION) {
      ws.close(
        CloseCodes.unsupportedVersion,
        `unsupported protocol version ${version}; this gateway speaks ${PROTOCOL_VERSION}`,
      );
      return;
    }
    const auth = AuthMessageSchema.safeParse(parsed);
    if (!auth.success) {
      this.guard.failedLogin(address, 'malformed');
      ws.close(CloseCodes.protocolError, 'expected an auth message');
      return;
    }
    const node = await this.options.accounts.getNode(auth.data.nodeId);
    if (!node || !verifyMessage(node.publicKey, authMessage(nonce, auth.data.nodeId), auth.data.signature)) {
      // Counted into a periodic summary: one line per attempt would let anyone flood the log.
      this.guard.failedLogin(address, 'bad-signature');
      ws.close(CloseCodes.authFailed, 'unknown node or bad signature');
      return;
    }
    const standing = await this.options.trust.view(node.id);
    if (standing?.banned) {
      this.logger.warn({ nodeId: node.id }, 'node refused: banned');
      ws.close(CloseCodes.banned, 'this node or its owner is banned');
      return;
    }
    if (ws.readyState !== ws.OPEN) return;
    authenticated();
    const prefix = networkOf(address);
    const refusal = this.admitSession(node.id, node.ownerId, prefix);
    if (refusal) {
      this.logger.warn({ nodeId: node.id, ownerId: node.ownerId, network: prefix }, refusal);
      ws.close(CloseCodes.tooManySessions, refusal);
      return;
    }
    const session = new NodeSession(
      ws,
      { nodeId: node.id, ownerId: node.ownerId, publicKeyPem: node.publicKey, addressPrefix: prefix },
      auth.data.capabilities,
      this.windows,
      standing?.standing,
    );
    this.sessions.add(session);
    const log = this.logger.child({ nodeId: node.id });
    log.info({ capabilities: auth.data.capabilities, version: auth.data.version }, 'node connected');
    ws.on('message', (message: RawData, binary: boolean) => {
      session.lastSeenAt = Date.now();
      if (binary) {
        void this.results.handle(session, toBuffer(message));
        return;
      }
      const control = NodeControlMessageSchema.safeParse(safeJson(message.toString()));
      if (!control.success) {
        ws.close(CloseCodes.protocolError, 'malformed message');
        return;
      }
      if (control.data.type === 'pause') session.paused = true;
      if (control.data.type === 'resume') {
        session.paused = false;
        this.dispatcher.wake();
      }
    });
    ws.on('close', () => {
      this.sessions.delete(session);
      log.info({ handedBack: session.leases.size }, 'node disconnected');
      // Dropping leases by disconnecting counts as one lapse, so reconnecting is no way around slow start.
      if (session.leases.size > 0 && !session.draining) session.lapsed();
      void this.handBack(session, 'NODE_DISCONNECTED');
    });
    session.send({ type: 'ready', nodeId: node.id, heartbeatMs: this.options.heartbeatMs ?? 10_000 });
    await this.options.trust.recordNetwork(node.id, prefix);
    this.dispatcher.wake();
  }

  /**
   * Makes room for a node's session: a live session of the same node id is replaced (its leases go back to the
   * queue); then the owner's and the network's caps apply. Returns why the session is refused, or undefined.
   */
  private admitSession(nodeId: string, ownerId: string, prefix: string | undefined): string | undefined {
    let ofOwner = 0;
    let ofNetwork = 0;
    for (const other of this.sessions) {
      if (other.nodeId === nodeId) {
        this.sessions.delete(other);
        other.socket.close(CloseCodes.replaced, 'replaced by a newer session of this node');
        continue;
      }
      if (other.ownerId === ownerId) ofOwner++;
      if (prefix !== undefined && other.addressPrefix === prefix) ofNetwork++;
    }
    const maxOwner = this.options.maxSessionsPerOwner ?? 16;
    const maxNetwork = this.options.maxSessionsPerNetwork ?? 16;
    if (ofOwner >= maxOwner) return `this owner already has ${ofOwner} nodes connected (at most ${maxOwner})`;
    if (ofNetwork >= maxNetwork) {
      return `this network already has ${ofNetwork} nodes connected (at most ${maxNetwork})`;
    }
    return undefined;
  }

  private heartbeat(): void {
    const timeoutMs = this.options.nodeTimeoutMs ?? 30_000;
    for (const session of this.sessions) {
      if (Date.now() - session.lastSeenAt > timeoutMs) {
        session.socket.close(CloseCodes.heartbeatTimeout, 'no heartbeat');
        session.socket.terminate();
        continue;
      }
      session.send({ type: 'heartbeat', at: Date.now() });
    }
  }

  /** Extends live leases, takes back jobs whose node has overrun their deadline, and refreshes standings. */
  private async maintainLeases(): Promise<void> {
    await this.refreshStandings();
    for (const session of this.sessions) {
      for (const [wireId, canary] of session.canaries) {
        if (Date.now() > canary.deadline) {
          session.canaries.delete(wireId);
          session.lapsed();
        }
      }
      for (const [jobId, active] of session.leases) {
        if (Date.now() > active.deadline) {
          session.leases.delete(jobId);
          session.lapsed();
          await this.results.takeBack(active, session.nodeId);
          continue;
        }
        try {
          await this.options.leases.extend(active.lease);
        } catch (error) {
          // The node may still be fetching: its politeness slot stays taken until it expires by itself.
          session.leases.delete(jobId);
          this.logger.warn({ jobId, err: error }, 'lease lost; the job returns to the queue');
        }
      }
    }
    this.dispatcher.wake();
  }

  /** Standings change in the worker too (votes): connected sessions pick them up here; banned ones are closed. */
  private async refreshStandings(): Promise<void> {
    const sessions = [...this.sessions];
    let standings;
    try {
      standings = await this.options.trust.standings(sessions.map((s) => s.nodeId));
    } catch (error) {
      this.logger.warn({ err: error }, 'could not refresh node standings');
      return;
    }
    for (const session of sessions) {
      const standing = standings.get(session.nodeId);
      if (standing === undefined) continue;
      session.standing = standing;
      if (standing === 'banned') session.socket.close(CloseCodes.banned, 'this node or its owner is banned');
    }
  }

  private async handBack(session: NodeSession, code: 'NODE_DISCONNECTED'): Promise<void> {
    const leases = [...session.leases.values()];
    session.leases.clear();
    for (const active of leases) {
      await this.results.giveBack(active, new RetryableError(code, 'node disconnected before answering'));
    }
    this.dispatcher.wake();
  }

  /**
   * Drains: tells nodes to stop, waits up to `graceMs` for their answers, hands back what is left, then closes.
   */
  async close(graceMs = 5000): Promise<void> {
    await this.dispatcher.stop();
    for (const session of this.sessions) {
      session.draining = true;
      session.send({ type: 'drain', reason: 'coordinator shutting down' });
    }
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline && [...this.sessions].some((s) => s.leases.size > 0)) {
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const timer of this.timers) clearInterval(timer);
    this.guard.close();
    for (const session of this.sessions) {
      const leases = [...session.leases.values()];
      session.leases.clear();
      for (const active of leases) await this.results.release(active);
      session.socket.close(CloseCodes.goingAway, 'coordinator shutting down');
    }
    this.sessions.clear();
    await this.results.idle();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await this.options.leases.close();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
