import { EventEmitter } from 'node:events';
import {
  MAX_OUTCOME_URLS,
  MAX_OUTCOMES_PAGE,
  NodeOutcomesSchema,
  UrlOutcomesSchema,
  type NodeOutcome,
  type UrlOutcome,
} from '@gleaner/contracts';
import { isOutcomeEntry, type FetchLogEntry, type FetchLogLine, type OutcomeLogEntry } from './fetch-log.js';
import { requestJson } from './json-request.js';

/** Options of an {@link OutcomeWatcher}. */
export interface OutcomeWatcherOptions {
  coordinatorUrl: string;
  ownerToken: string;
  nodeId: string;
  /** Where outcome lines go: the node's fetch log. */
  append: (line: OutcomeLogEntry) => Promise<void>;
  /** How often the coordinator is asked, ms. Default 60,000. */
  intervalMs?: number;
  /**
   * How far back each poll asks again, ms, so a change written in a transaction that committed late is not
   * missed; lines already written are not written twice. Default 600,000 (10 minutes).
   */
  overlapMs?: number;
  /** How long a fetch waits for an outcome of its own before its URL's state is asked, ms. Default 120,000. */
  askUrlAfterMs?: number;
  /** How long a fetch is followed at all, ms. Default a day. */
  followForMs?: number;
  /** Clock. Default `Date.now`. */
  now?: () => number;
}

/** A fetch still waiting for its outcome. */
interface Waiting {
  campaignId: string;
  url: string;
  fetchedAtMs: number;
  /** Set once the URL was seen finished without an outcome of this node (asked again once more). */
  doneSeen?: boolean;
}

const RECENT = 50;

/**
 * Follows what became of the node's fetches: polls `GET /v1/me/nodes/{nodeId}/outcomes` with the owner token and
 * writes a line to the fetch log for each new outcome or change of its point (record, duplicate, withdrawn;
 * pending, settled, voided, reversed). A successful fetch that gets no outcome of its own within `askUrlAfterMs`
 * is looked up by URL (`POST …/outcomes/urls`): the coordinator keeps failures and refusals on the URL, not with
 * the node. Fetches that failed on the node already say why in their own line.
 * Events: `outcome` (OutcomeLogEntry), `poll-error` (Error).
 */
export class OutcomeWatcher extends EventEmitter {
  readonly #waiting = new Map<string, Waiting>();
  /** Signatures (key, outcome, point state) of lines written, with the change time, to write each once. */
  readonly #written = new Map<string, number>();
  readonly #recent: OutcomeLogEntry[] = [];
  /** The latest change seen, ms. */
  #latestMs = 0;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #lastError: string | undefined;

  constructor(private readonly options: OutcomeWatcherOptions) {
    super();
  }

  get #now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /**
   * Picks up where an earlier run left off, from the log's last lines: outcomes already written are not written
   * again, and successful fetches without an outcome are followed.
   */
  resume(lines: readonly FetchLogLine[]): void {
    const since = this.#now - (this.options.followForMs ?? 86_400_000);
    for (const line of lines) {
      if (isOutcomeEntry(line)) {
        this.#remember(line);
        if (line.jobId !== null) this.#waiting.delete(line.jobId);
      } else if (Date.parse(line.time) >= since) {
        this.noteFetch(line);
      }
    }
  }

  /** Follows a fetch the node just logged; one that failed on the node needs no outcome from the coordinator. */
  noteFetch(entry: FetchLogEntry): void {
    if (entry.errorCode !== undefined) return;
    const fetchedAtMs = Date.parse(entry.time);
    this.#waiting.set(entry.jobId, {
      campaignId: entry.campaignId,
      url: entry.url,
      fetchedAtMs: Number.isNaN(fetchedAtMs) ? this.#now : fetchedAtMs,
    });
  }

  /** The latest outcome lines, newest first. */
  recent(): OutcomeLogEntry[] {
    return [...this.#recent].reverse();
  }

  /** Fetches still waiting for an outcome. */
  get waiting(): number {
    return this.#waiting.size;
  }

  /** Why the last poll failed, or undefined after a good one. */
  get lastError(): string | undefined {
    return this.#lastError;
  }

  /** Polls now and every `intervalMs` until {@link stop}. */
  start(): void {
    if (this.#timer) return;
    void this.poll();
    this.#timer = setInterval(() => void this.poll(), this.options.intervalMs ?? 60_000).unref();
  }

  /** Stops polling; resolves once a poll under way has finished (its lines written). */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  /** One poll (never two at once; a call during one waits for it). Never throws: errors go to `poll-error`. */
  poll(): Promise<void> {
    this.#running ??= this.#poll()
      .then(
        () => (this.#lastError = undefined),
        (error: unknown) => {
          this.#lastError = error instanceof Error ? error.message : String(error);
          this.emit('poll-error', error);
        },
      )
      .then(() => {
        this.#running = undefined;
      });
    return this.#running;
  }

  async #poll(): Promise<void> {
    await this.#pollOutcomes();
    await this.#askUrls();
    this.#forget();
  }

  #url(path: string): URL {
    return new URL(
      `/v1/me/nodes/${encodeURIComponent(this.options.nodeId)}/outcomes${path}`,
      this.options.coordinatorUrl,
    );
  }

  async #request(url: URL, body?: unknown): Promise<unknown> {
    const response = await requestJson(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${this.options.ownerToken}` },
      ...(body === undefined ? {} : { body }),
      timeoutMs: 15_000,
      maxBytes: 4 * 1024 * 1024,
    });
    if (!response.ok) {
      const message = (response.body as { error?: { message?: string } } | undefined)?.error?.message;
      throw new Error(
        `the coordinator answered HTTP ${response.status} for ${url.pathname}: ${message ?? 'no reason'}`,
      );
    }
    return response.body;
  }

  async #pollOutcomes(): Promise<void> {
    const overlapMs = this.options.overlapMs ?? 600_000;
    // With nothing seen yet, as far back as fetches are followed.
    const sinceMs =
      this.#latestMs > 0 ? this.#latestMs - overlapMs : this.#now - (this.options.followForMs ?? 86_400_000);
    const since = new Date(sinceMs).toISOString();
    let after: string | null | undefined;
    do {
      const url = this.#url('');
      url.searchParams.set('limit', String(MAX_OUTCOMES_PAGE));
      url.searchParams.set('since', since);
      if (after) url.searchParams.set('after', after);
      const page = NodeOutcomesSchema.parse(await this.#request(url));
      for (const outcome of page.outcomes) await this.#write(lineOfOutcome(outcome));
      after = page.next;
    } while (after);
  }

  async #askUrls(): Promise<void> {
    const due = this.#now - (this.options.askUrlAfterMs ?? 120_000);
    const asked = [...this.#waiting].filter(([, w]) => w.fetchedAtMs <= due);
    // A few batches per poll; the rest wait for the next.
    for (let i = 0; i < Math.min(asked.length, 5 * MAX_OUTCOME_URLS); i += MAX_OUTCOME_URLS) {
      const batch = asked.slice(i, i + MAX_OUTCOME_URLS);
      const answer = UrlOutcomesSchema.parse(
        await this.#request(this.#url('/urls'), {
          urls: batch.map(([, w]) => ({ campaignId: w.campaignId, url: w.url })),
        }),
      );
      const byUrl = new Map(answer.urls.map((u) => [`${u.campaignId} ${u.url}`, u]));
      for (const [jobId, waiting] of batch) {
        const state = byUrl.get(`${waiting.campaignId} ${waiting.url}`);
        // Not a campaign URL (a robots.txt or sitemap fetch): there is nothing more to learn about it.
        if (!state) this.#waiting.delete(jobId);
        if (!state || state.outcome === 'waiting') continue;
        if (state.outcome === 'done' && !waiting.doneSeen) {
          // Its own record may have landed between the two requests: the next poll's outcomes would show it.
          waiting.doneSeen = true;
          continue;
        }
        await this.#write(lineOfUrl(jobId, state));
      }
    }
  }

  async #write(line: OutcomeLogEntry): Promise<void> {
    if (line.jobId !== null) this.#waiting.delete(line.jobId);
    const changedMs = Date.parse(line.time);
    if (changedMs > this.#latestMs) this.#latestMs = changedMs;
    const signature = signatureOf(line);
    if (this.#written.has(signature)) return;
    this.#remember(line);
    this.#recent.push(line);
    if (this.#recent.length > RECENT) this.#recent.shift();
    await this.options.append(line);
    this.emit('outcome', line);
  }

  #remember(line: OutcomeLogEntry): void {
    const changedMs = Date.parse(line.time);
    this.#written.set(signatureOf(line), changedMs);
    if (changedMs > this.#latestMs) this.#latestMs = changedMs;
  }

  /** Drops what no later poll can need: signatures older than twice the overlap, fetches followed too long. */
  #forget(): void {
    const keepSignaturesFrom = this.#latestMs - 2 * (this.options.overlapMs ?? 600_000);
    for (const [signature, changedMs] of this.#written) {
      if (changedMs < keepSignaturesFrom) this.#written.delete(signature);
    }
    const followFrom = this.#now - (this.options.followForMs ?? 86_400_000);
    for (const [jobId, waiting] of this.#waiting) {
      if (waiting.fetchedAtMs < followFrom) this.#waiting.delete(jobId);
    }
  }
}

/** What makes an outcome line new: the fetch, its outcome and its point's state. */
function signatureOf(line: OutcomeLogEntry): string {
  return `${line.jobId ?? line.recordId ?? line.url} ${line.outcome} ${line.pointsStatus}`;
}

function lineOfOutcome(outcome: NodeOutcome): OutcomeLogEntry {
  return {
    kind: 'outcome',
    time: outcome.changedAt,
    jobId: outcome.jobId,
    campaignId: outcome.campaignId,
    url: outcome.url,
    outcome: outcome.outcome,
    ...(outcome.reason === null ? {} : { reason: outcome.reason }),
    ...(outcome.recordId === null ? {} : { recordId: outcome.recordId }),
    points: outcome.points,
    pointsStatus: outcome.pointsStatus,
  };
}

function lineOfUrl(jobId: string, state: UrlOutcome): OutcomeLogEntry {
  const reason =
    state.outcome === 'done'
      ? 'this fetch made no record: the page was unchanged, or another fetch made it'
      : (state.errorMessage ?? (state.state === 'failed' ? undefined : `URL ${state.state}`));
  return {
    kind: 'outcome',
    time: state.updatedAt,
    jobId,
    campaignId: state.campaignId,
    url: state.url,
    outcome: state.outcome === 'done' || state.outcome === 'waiting' ? 'no-record' : state.outcome,
    ...(reason === undefined ? {} : { reason }),
    ...(state.errorCode === null ? {} : { errorCode: state.errorCode }),
    ...(state.httpStatus === null ? {} : { httpStatus: state.httpStatus }),
    points: 0,
    pointsStatus: 'none',
  };
}
