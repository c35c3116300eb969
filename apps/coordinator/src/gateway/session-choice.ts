/** What {@link chooseSession} looks at in a node session. */
export interface ChoosableSession {
  readonly nodeId: string;
  readonly ownerId: string;
  readonly addressPrefix: string | undefined;
  /** A quarantined node only takes verification work. */
  quarantined(): boolean;
  freeSlots(): number;
  /** Share of its allowed slots the node holds now, 0 to 1. */
  load(): number;
  readonly capabilities: { render: boolean };
  /** When the node was last sent a job (ms since the epoch; 0 if never). */
  lastJobAt: number;
  /** Whether the node has answered enough jobs to hold ones that stall a whole host (robots.txt, sitemaps). */
  proven(): boolean;
}

/** What a job asks of the node that takes it. */
export interface JobNeeds {
  render: boolean;
  /** Nodes that must not take it (they let an earlier lease of it lapse). */
  avoid?: readonly string[];
  /** A job that holds up a whole host while it runs: only proven nodes take it, while any is connected. */
  critical?: boolean;
  /** A redundant fetch for a verification vote: the only work quarantined nodes get. */
  verification?: boolean;
  /** Owners and networks whose nodes must not take it (those already in its vote). */
  avoidOwners?: readonly string[];
  avoidNetworks?: readonly string[];
}

/**
 * The node that takes the next job: among the nodes that fit it and have a free slot, the least loaded (the smallest
 * share of its allowed slots in use) and, among those as loaded, the one that was sent a job least recently. Load,
 * not free slots, so that a new node in slow start (two slots) is not starved by proven nodes with many; the
 * tie-break, so that nodes idle side by side (the common case while per-host pacing holds the crawl back) take
 * turns instead of all losing every job to whichever connected first, and so its points. Undefined when no
 * connected node fits now.
 */
export function chooseSession<S extends ChoosableSession>(
  sessions: Iterable<S>,
  needs: JobNeeds,
): S | undefined {
  const candidates = [...sessions].filter(
    (session) =>
      (!needs.render || session.capabilities.render) &&
      !(needs.avoid ?? []).includes(session.nodeId) &&
      (needs.verification === true || !session.quarantined()) &&
      !(needs.avoidOwners ?? []).includes(session.ownerId) &&
      !(session.addressPrefix !== undefined && (needs.avoidNetworks ?? []).includes(session.addressPrefix)),
  );
  const pool =
    needs.critical && candidates.some((session) => session.proven())
      ? candidates.filter((session) => session.proven())
      : candidates;
  let best: S | undefined;
  let bestLoad = Number.POSITIVE_INFINITY;
  for (const session of pool) {
    if (session.freeSlots() <= 0) continue;
    const load = session.load();
    if (best === undefined || load < bestLoad || (load === bestLoad && session.lastJobAt < best.lastJobAt)) {
      best = session;
      bestLoad = load;
    }
  }
  return best;
}
