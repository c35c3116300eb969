import type { NodeCapabilities, ServerMessage } from '@gleaner/contracts';
import type { Lease } from '@gleaner/queue';
import type { WebSocket } from 'ws';
import type { NodeStandingValue } from '@gleaner/db';
import type { LeaseWindow, LeaseWindows } from './lease-windows.js';

/** A job a node is working on. */
export interface ActiveLease {
  /** The job's id on the wire: opaque and fresh for every lease, so no job id tells one kind of job from another. */
  wireId: string;
  lease: Lease;
  urlId: number;
  /** The lease attempt the job was sent with (BullMQ's `attemptsStarted`); the result must name it. */
  attempt: number;
  /** The host whose politeness slot this lease holds. */
  host: string;
  /** The host's minimum interval for this campaign, ms (the base of back-offs). */
  minIntervalMs: number;
  /** Most redirects the job allowed. */
  maxRedirects: number;
  sentAt: number;
  deadline: number;
}

/** A canary job a node is working on: no BullMQ job behind it, only what its answer must hold. */
export interface CanaryLease {
  wireId: string;
  url: string;
  attempt: number;
  maxRedirects: number;
  sentAt: number;
  deadline: number;
}

/** Who a session belongs to and where it connected from. */
export interface SessionIdentity {
  nodeId: string;
  ownerId: string;
  publicKeyPem: string;
  /** The network it connected from (`203.0.113.0/24`, `2001:db8:1::/48`); undefined when unknown. */
  addressPrefix: string | undefined;
}

/** One authenticated node connection and the leases it holds. */
export class NodeSession {
  /** Leases by wire id. */
  readonly leases = new Map<string, ActiveLease>();
  /** Canaries by wire id. */
  readonly canaries = new Map<string, CanaryLease>();
  /** What the trust system says of this node (refreshed while it is connected). */
  standing: NodeStandingValue;
  readonly nodeId: string;
  readonly ownerId: string;
  readonly publicKeyPem: string;
  readonly addressPrefix: string | undefined;
  paused = false;
  draining = false;
  lastSeenAt = Date.now();
  /** When this node was last sent a job (0: never); spreads jobs across nodes with as many free slots. */
  lastJobAt = 0;
  private readonly window: LeaseWindow;

  constructor(
    readonly socket: WebSocket,
    identity: SessionIdentity,
    readonly capabilities: NodeCapabilities,
    private readonly windows: LeaseWindows,
    standing: NodeStandingValue = 'probation',
  ) {
    this.standing = standing;
    this.nodeId = identity.nodeId;
    this.ownerId = identity.ownerId;
    this.publicKeyPem = identity.publicKeyPem;
    this.addressPrefix = identity.addressPrefix;
    this.window = windows.of(identity.nodeId);
  }

  /** Jobs this node can take now: its slow-start window (never more than it declared) less what it holds. */
  freeSlots(): number {
    if (this.paused || this.draining || this.socket.readyState !== this.socket.OPEN) return 0;
    const held = this.leases.size + this.canaries.size;
    return Math.max(0, this.windows.allowance(this.window, this.capabilities.concurrency) - held);
  }

  /** Share of its allowed slots this node holds now (1 when it may hold none). */
  load(): number {
    const allowed = this.windows.allowance(this.window, this.capabilities.concurrency);
    return allowed === 0 ? 1 : (this.leases.size + this.canaries.size) / allowed;
  }

  /** Jobs this node answered in time (in this coordinator's memory). */
  jobsDone(): number {
    return this.window.answered;
  }

  /** Whether the node may only do verification work (its standing is quarantined). */
  quarantined(): boolean {
    return this.standing === 'quarantined';
  }

  /** Whether the node has answered enough jobs to hold ones that stall a whole host. */
  proven(): boolean {
    return this.windows.proven(this.window);
  }

  /** The node answered a lease in time: its window grows. */
  answered(): void {
    this.windows.answered(this.window, this.capabilities.concurrency);
  }

  /** The node let a lease lapse or dropped its leases: its window shrinks. */
  lapsed(): void {
    this.windows.lapsed(this.window);
  }

  /** Sends a JSON message if the socket is open. */
  send(message: ServerMessage): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(message));
  }
}
