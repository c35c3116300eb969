/** Settings of {@link LeaseWindows}. */
export interface LeaseWindowsOptions {
  /** Jobs a node may hold at once before it has answered any. Default 2. */
  initial?: number;
  /** How long a node whose window fell to zero waits before it is sent one job again, ms. Default 60,000. */
  cooldownMs?: number;
  /** Answered jobs a node needs before it gets robots.txt and sitemap jobs, which hold up whole hosts. Default 3. */
  provenAfter?: number;
  /** Nodes whose window is remembered; the least recently seen are forgotten first. Default 100,000. */
  maxNodes?: number;
}

/** One node's window: how many jobs it may hold, and how it has answered. */
export interface LeaseWindow {
  /** Jobs the node may hold at once (never more than it declared). */
  size: number;
  /** Jobs it answered in time, ever (in this coordinator's memory). */
  answered: number;
  /** Until when (ms since the epoch) a node with a zero window waits. */
  coolUntil: number;
}

/**
 * Slow start for leases, per node id (so reconnecting does not reset it): a node may first hold `initial` jobs; each
 * job it answers in time lets it hold one more (doubling per round trip, up to what it declared); each lease it lets
 * lapse halves the window. At zero it gets nothing for `cooldownMs`, then one job to prove itself with. A node that
 * takes jobs and never answers so holds at most `initial` of them, once.
 */
export class LeaseWindows {
  private readonly windows = new Map<string, LeaseWindow>();
  private readonly initial: number;
  private readonly cooldownMs: number;
  private readonly provenAfter: number;
  private readonly maxNodes: number;

  constructor(options: LeaseWindowsOptions = {}) {
    this.initial = options.initial ?? 2;
    this.cooldownMs = options.cooldownMs ?? 60_000;
    this.provenAfter = options.provenAfter ?? 3;
    this.maxNodes = options.maxNodes ?? 100_000;
  }

  /** The window of a node (created at `initial` on first sight). */
  of(nodeId: string): LeaseWindow {
    let window = this.windows.get(nodeId);
    if (window) {
      // Re-insert so the map's order is least recently seen first.
      this.windows.delete(nodeId);
    } else {
      window = { size: this.initial, answered: 0, coolUntil: 0 };
      if (this.windows.size >= this.maxNodes) {
        const oldest = this.windows.keys().next().value;
        if (oldest !== undefined) this.windows.delete(oldest);
      }
    }
    this.windows.set(nodeId, window);
    return window;
  }

  /** Jobs the node may hold now, given what it declared. */
  allowance(window: LeaseWindow, declared: number, now = Date.now()): number {
    if (window.size === 0) {
      if (now < window.coolUntil) return 0;
      window.size = 1;
    }
    return Math.min(declared, window.size);
  }

  /** The node answered a job in time: one more slot, up to `declared`. */
  answered(window: LeaseWindow, declared: number): void {
    window.answered++;
    window.size = Math.min(Math.max(declared, 1), window.size + 1);
  }

  /** The node let a lease lapse (or dropped it by disconnecting): half the window, and a cool-down at zero. */
  lapsed(window: LeaseWindow, now = Date.now()): void {
    window.size = Math.floor(window.size / 2);
    if (window.size === 0) window.coolUntil = now + this.cooldownMs;
  }

  /** Whether the node has answered enough jobs to be given the ones that hold up a whole host. */
  proven(window: LeaseWindow): boolean {
    return window.answered >= this.provenAfter;
  }
}
