/** What {@link chooseSession} looks at in a node session. */
export interface ChoosableSession {
  freeSlots(): number;
  readonly capabilities: { render: boolean };
  /** When the node was last sent a job (ms since the epoch; 0 if never). */
  lastJobAt: number;
}

/**
 * The node that takes the next job: the one with the most free slots and, among those with as many, the one that
 * was sent a job least recently. Without that tie-break, nodes idle side by side (the common case while per-host
 * pacing holds the crawl back) would all lose every job to whichever connected first, and so would its points.
 */
export function chooseSession<S extends ChoosableSession>(
  sessions: Iterable<S>,
  needsRender: boolean,
): S | undefined {
  let best: S | undefined;
  let bestFree = 0;
  for (const session of sessions) {
    if (needsRender && !session.capabilities.render) continue;
    const free = session.freeSlots();
    if (free <= 0) continue;
    if (best === undefined || free > bestFree || (free === bestFree && session.lastJobAt < best.lastJobAt)) {
      best = session;
      bestFree = free;
    }
  }
  return best;
}
