import type { NodeCapabilities, ServerMessage } from '@gleaner/core';
import type { Lease } from '@gleaner/queue';
import type { WebSocket } from 'ws';

/** A job a node is working on. */
export interface ActiveLease {
  lease: Lease;
  urlId: number;
  /** The host whose politeness slot this lease holds. */
  host: string;
  /** The host's minimum interval for this campaign, ms (the base of back-offs). */
  minIntervalMs: number;
  sentAt: number;
  deadline: number;
}

/** One authenticated node connection and the leases it holds. */
export class NodeSession {
  readonly leases = new Map<string, ActiveLease>();
  paused = false;
  draining = false;
  lastSeenAt = Date.now();
  /** When this node was last sent a job (0: never); spreads jobs across nodes with as many free slots. */
  lastJobAt = 0;

  constructor(
    readonly socket: WebSocket,
    readonly nodeId: string,
    readonly ownerId: string,
    readonly publicKeyPem: string,
    readonly capabilities: NodeCapabilities,
  ) {}

  /** Jobs this node can take now. */
  freeSlots(): number {
    if (this.paused || this.draining || this.socket.readyState !== this.socket.OPEN) return 0;
    return Math.max(0, this.capabilities.concurrency - this.leases.size);
  }

  /** Sends a JSON message if the socket is open. */
  send(message: ServerMessage): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(message));
  }
}
