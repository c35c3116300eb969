import { TokenBucket, createNodeFetcher } from '@gleaner/node-core';
import { Agent, request } from 'undici';

/** Fetches one URL and resolves with its body length; throws if the page did not come back whole. */
export type FetchOne = (url: string) => Promise<number>;

/** One timed pass of a fetch loop. */
export interface LoopResult {
  pages: number;
  bytes: number;
  seconds: number;
  pagesPerSecond: number;
  /** CPU time (user + system) this process spent per page, µs: the fetch path's own cost (the site runs elsewhere). */
  cpuMicrosPerPage: number;
}

/** Fetches `pages` URLs (cycling through `urls`) with `concurrency` workers, and times it. */
export async function runLoop(
  urls: string[],
  pages: number,
  concurrency: number,
  fetchOne: FetchOne,
): Promise<LoopResult> {
  let next = 0;
  let bytes = 0;
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const worker = async (): Promise<void> => {
    while (next < pages) {
      const url = urls[next++ % urls.length] as string;
      bytes += await fetchOne(url);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  return {
    pages,
    bytes,
    seconds,
    pagesPerSecond: pages / seconds,
    cpuMicrosPerPage: (cpu.user + cpu.system) / pages,
  };
}

/** A fetch path under test, with what must be closed after it. */
export interface FetchPath {
  fetchOne: FetchOne;
  close(): Promise<void>;
}

/**
 * The node's own fetch path: the SafeFetcher built by `createNodeFetcher` exactly as the node builds it (guard on,
 * loopback opened by the demo flag, the fixture's port allowed), paced by a token bucket as the node's cap is,
 * here set far above what loopback can carry so that only its cost is measured.
 */
export function nodeFetchPath(port: number): FetchPath {
  const bucket = new TokenBucket({ bytesPerSecond: 1024 ** 4 });
  const fetcher = createNodeFetcher({
    allowPrivateNetwork: true,
    allowPorts: [port],
    rateLimiter: bucket.asRateLimiter(),
  });
  return {
    fetchOne: async (url) => {
      const outcome = await fetcher.fetch(url);
      if (!outcome.ok || outcome.status !== 200) throw new Error(`node fetch of ${url} failed`);
      return outcome.body.length;
    },
    close: () => fetcher.close(),
  };
}

/** The baseline: `undici.request` through one keep-alive Agent, no guard and no limits. */
export function bareUndiciPath(): FetchPath {
  const agent = new Agent({ keepAliveTimeout: 30_000 });
  return {
    fetchOne: async (url) => {
      const response = await request(url, { dispatcher: agent });
      const body = Buffer.from(await response.body.arrayBuffer());
      if (response.statusCode !== 200) throw new Error(`bare fetch of ${url} failed`);
      return body.length;
    },
    close: () => agent.close(),
  };
}
