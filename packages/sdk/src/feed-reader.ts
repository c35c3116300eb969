import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiTransport } from './api-transport.js';
import type { FeedFilters, FeedLine } from './api-types.js';

/** The response header that carries the cursor of the next feed page. */
export const NEXT_CURSOR_HEADER = 'gleaner-next-cursor';

/** Options of a feed walk. */
export interface FeedOptions extends FeedFilters {
  /** A cursor saved from an earlier walk (`FeedPage.cursor` or `FeedReader.cursor`); default the feed's start. */
  cursor?: string;
  /** Lines per page, 1 to 1,000; default 1,000. */
  limit?: number;
  /** Keep polling once caught up, instead of ending; default false. */
  follow?: boolean;
  /** Wait between polls of a caught-up feed when `follow` is on, ms; default 5,000. */
  pollIntervalMs?: number;
  /** Ends the walk (the iterator rejects with the abort reason). */
  signal?: AbortSignal;
}

/** One page of the feed and the cursor that continues right after it. */
export interface FeedPage {
  lines: FeedLine[];
  /** Save this once the page's lines are stored; a walk started from it reads the next page. */
  cursor: string;
}

/** Splits an NDJSON body into parsed lines (a final line break is optional, blank lines are skipped). */
export function parseNdjson<T>(text: string): T[] {
  const out: T[] = [];
  for (const line of text.split('\n')) if (line.trim() !== '') out.push(JSON.parse(line) as T);
  return out;
}

/**
 * A walk over a dataset's live feed, page by page (`pages()`) or line by line (`for await`). Pages are asked for
 * in gzip. Every line appears once in a stable order; tombstones (`type: "tombstone"`) name records withdrawn after
 * they were published. Without `follow` the walk ends at the first empty page (caught up).
 *
 * `cursor` is the position after the last page the consumer finished: when iterating lines it moves once every
 * line of a page has been taken, so a consumer that saves it after handling each line and stops anywhere resumes at
 * the start of the page it was in (at least once, never a gap).
 */
export class FeedReader implements AsyncIterable<FeedLine> {
  /** Where a new walk would continue; undefined until the first page when no cursor was given. */
  cursor: string | undefined;

  constructor(
    private readonly transport: ApiTransport,
    private readonly datasetId: string,
    private readonly options: FeedOptions = {},
  ) {
    this.cursor = options.cursor;
  }

  /** Reads one page from `cursor` (the current position by default) without moving the walk. */
  async page(cursor = this.cursor): Promise<FeedPage> {
    const { cursor: _given, follow: _f, pollIntervalMs: _p, signal, limit, ...filters } = this.options;
    const response = await this.transport.send(`/v1/datasets/${encodeURIComponent(this.datasetId)}/records`, {
      query: { ...filters, limit: limit ?? 1000, cursor },
      headers: { accept: 'application/x-ndjson', 'accept-encoding': 'gzip' },
      ...(signal ? { signal } : {}),
    });
    const next = response.headers.get(NEXT_CURSOR_HEADER);
    const lines = parseNdjson<FeedLine>(await response.text());
    if (next === null) throw new Error(`the feed answered without a ${NEXT_CURSOR_HEADER} header`);
    return { lines, cursor: next };
  }

  /** The walk's pages; `cursor` moves to each page's cursor as the consumer asks for the next one. */
  async *pages(): AsyncGenerator<FeedPage> {
    for (;;) {
      const page = await this.page();
      if (page.lines.length === 0) {
        this.cursor = page.cursor;
        if (!this.options.follow) return;
        const { signal } = this.options;
        await sleep(this.options.pollIntervalMs ?? 5000, undefined, signal ? { signal } : {});
        continue;
      }
      yield page;
      this.cursor = page.cursor;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<FeedLine> {
    for await (const page of this.pages()) for (const line of page.lines) yield line;
  }
}
