/** What a baseline crawler child is told to crawl; passed as one JSON argument. */
export interface CrawlTarget {
  /** The URL the crawl starts from. */
  seedUrl: string;
  /** In-scope host names; every one is served on `port`. */
  hosts: string[];
  port: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Safety cap on pages; the crawl normally ends when the frontier is empty. */
  maxPages: number;
  /** Where a crawler that stores data keeps it. */
  storageDir: string;
}

/** A baseline child's last stdout line: `{"event":"result",…}`. */
export interface CrawlResult {
  pages: number;
  failures: number;
  /** From the first request to the end of the crawl. */
  seconds: number;
  /** Items a storing crawler wrote; absent for one that stores nothing. */
  stored?: number;
}

/** Reads the target from `argv[2]`. */
export function targetFromArgv(argv: string[] = process.argv): CrawlTarget {
  const raw = argv[2];
  if (!raw) throw new Error('usage: node <child>.js <crawl target JSON>');
  return JSON.parse(raw) as CrawlTarget;
}

/** True when `url` is on one of the target's hosts and port (what every system treats as in scope). */
export function inScope(target: CrawlTarget, url: URL): boolean {
  return url.protocol === 'http:' && url.port === String(target.port) && target.hosts.includes(url.hostname);
}

/** Writes one event line on stdout for the parent (`progress` every few seconds, `result` at the end). */
export function report(event: 'progress' | 'result', data: Record<string, number>): void {
  process.stdout.write(`${JSON.stringify({ event, ...data })}\n`);
}
