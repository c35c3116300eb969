import type { Duplex } from 'node:stream';
import { RateLimiterMemory } from '@gleaner/queue';
import type { WebSocket } from 'ws';
import type { Logger } from '@gleaner/core';

/** Limits of the {@link PreAuthGuard}; every one is per client address. */
export interface PreAuthLimits {
  /** Bytes a connection may send before it has authenticated (its auth message is about 300). Default 8 KiB. */
  maxPreAuthBytes?: number;
  /** Connections one address may hold open without having authenticated. Default 8. */
  maxPendingPerAddress?: number;
  /** New connections one address may open per minute. Default 120. */
  connectsPerMinute?: number;
  /** Failed logins one address may make per {@link failedLoginWindowMs} before it is refused. Default 20. */
  maxFailedLogins?: number;
  /** The window of {@link maxFailedLogins}, ms. Default 600,000 (10 minutes). */
  failedLoginWindowMs?: number;
  /** How often refused logins are summed up in one log line, ms. Default 60,000. */
  summaryIntervalMs?: number;
}

/** Why a login failed, as counted in the summary. */
export type LoginFailure = 'bad-signature' | 'malformed' | 'timeout' | 'too-much-data';

/** Why a connection was refused before its WebSocket handshake, as counted in the summary. */
type Refusal = 'too-many-failures' | 'too-many-pending' | 'too-many-connects';

/** WebSocket close code for a message that is too big (RFC 6455). */
const MESSAGE_TOO_BIG = 1009;
/** Time a connection over its pre-auth allowance gets to read its close frame before it is cut, ms. */
const CLOSE_GRACE_MS = 1000;
const UNKNOWN_ADDRESS = 'unknown';

/**
 * What the node gateway allows a client that has not proven who it is: a few KiB of data (the WebSocket server's own
 * frame limit is for authenticated nodes and their result bodies), a few open connections and a steady rate of new
 * ones per address, and a number of failed logins per address, past which its upgrades get 429 until the window
 * ends. Failed and refused logins are not logged one by one (that would let anyone fill the log): a summary line
 * counts them once per interval. Counters live in this process, so each coordinator applies the limits itself.
 */
export class PreAuthGuard {
  private readonly maxPreAuthBytes: number;
  private readonly maxPending: number;
  private readonly connects: RateLimiterMemory;
  private readonly failures: RateLimiterMemory;
  private readonly maxFailedLogins: number;
  private readonly pending = new Map<string, number>();
  private failed = new Map<LoginFailure, number>();
  private refused = new Map<Refusal, number>();
  private addresses = new Set<string>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly logger: Logger,
    limits: PreAuthLimits = {},
  ) {
    this.maxPreAuthBytes = limits.maxPreAuthBytes ?? 8 * 1024;
    this.maxPending = limits.maxPendingPerAddress ?? 8;
    this.maxFailedLogins = limits.maxFailedLogins ?? 20;
    this.connects = new RateLimiterMemory({ points: limits.connectsPerMinute ?? 120, duration: 60 });
    this.failures = new RateLimiterMemory({
      points: this.maxFailedLogins,
      duration: Math.max(1, Math.round((limits.failedLoginWindowMs ?? 600_000) / 1000)),
    });
    this.timer = setInterval(() => this.summarize(), limits.summaryIntervalMs ?? 60_000);
    this.timer.unref();
  }

  /**
   * Decides whether a connection from `address` may start its WebSocket handshake. Returns undefined to go ahead,
   * or the seconds after which the address may try again.
   */
  async admit(address: string | undefined): Promise<number | undefined> {
    const key = address ?? UNKNOWN_ADDRESS;
    const failures = await this.failures.get(key);
    if (failures && failures.consumedPoints >= this.maxFailedLogins) {
      return this.refuse(key, 'too-many-failures', failures.msBeforeNext);
    }
    if ((this.pending.get(key) ?? 0) >= this.maxPending) return this.refuse(key, 'too-many-pending', 1000);
    try {
      await this.connects.consume(key);
    } catch (result) {
      return this.refuse(key, 'too-many-connects', (result as { msBeforeNext: number }).msBeforeNext);
    }
    return undefined;
  }

  /**
   * Watches an admitted connection until it authenticates, counting it as pending until then (or its close; a
   * handshake that fails never gets here, so never counts): more than the pre-auth allowance of bytes closes it with
   * 1009 and stops reading from it, so a large first frame is never buffered whole. Returns the function that ends
   * the watch once the node has authenticated.
   */
  watch(ws: WebSocket, socket: Duplex, address: string | undefined): () => void {
    const key = address ?? UNKNOWN_ADDRESS;
    let received = 0;
    let over = false;
    let done = false;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received <= this.maxPreAuthBytes) return;
      if (over) {
        socket.destroy();
        return;
      }
      over = true;
      this.failedLogin(address, 'too-much-data');
      ws.close(MESSAGE_TOO_BIG, 'too much data before authentication');
      socket.pause();
      setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
    };
    const release = () => {
      if (done) return;
      done = true;
      socket.off('data', onData);
      const left = (this.pending.get(key) ?? 1) - 1;
      if (left > 0) this.pending.set(key, left);
      else this.pending.delete(key);
    };
    this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
    // Before the WebSocket server's own listener, so the chunk that goes over is the last one it gets.
    socket.prependListener('data', onData);
    ws.once('close', release);
    return release;
  }

  /** Counts a failed login of `address` towards its limit and the next summary. */
  failedLogin(address: string | undefined, reason: LoginFailure): void {
    const key = address ?? UNKNOWN_ADDRESS;
    this.failed.set(reason, (this.failed.get(reason) ?? 0) + 1);
    this.addresses.add(key);
    this.failures.penalty(key).catch(() => {});
  }

  /** Connections from `address` waiting to authenticate now. */
  pendingOf(address: string | undefined): number {
    return this.pending.get(address ?? UNKNOWN_ADDRESS) ?? 0;
  }

  /** Stops the summary timer, writing what it has counted since the last one. */
  close(): void {
    clearInterval(this.timer);
    this.summarize();
  }

  private refuse(key: string, reason: Refusal, retryAfterMs: number): number {
    this.refused.set(reason, (this.refused.get(reason) ?? 0) + 1);
    this.addresses.add(key);
    return Math.max(1, Math.ceil(retryAfterMs / 1000));
  }

  /** One line for everything refused since the last one; addresses are counted, not named. */
  private summarize(): void {
    if (this.failed.size === 0 && this.refused.size === 0) return;
    this.logger.warn(
      {
        failedLogins: Object.fromEntries(this.failed),
        refusedConnections: Object.fromEntries(this.refused),
        addresses: this.addresses.size,
      },
      'node logins failed or refused since the last summary',
    );
    this.failed = new Map();
    this.refused = new Map();
    this.addresses = new Set();
  }
}
