/**
 * The upper bound: a breadth-first crawl with undici and a regex for links, no storage, no politeness, no
 * retries. Run as a child process by run.ts (`node dist/undici-loop.js <target JSON>`).
 */
import { Agent, request } from 'undici';
import { inScope, report, targetFromArgv } from './crawl-target.js';

const LINK = /<a\s(?:[^>]*?\s)?href\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;

async function main(): Promise<void> {
  const target = targetFromArgv();
  const agent = new Agent({ connections: target.concurrency, keepAliveTimeout: 4_000 });
  const seen = new Set<string>([target.seedUrl]);
  const queue: string[] = [target.seedUrl];
  let pages = 0;
  let failures = 0;
  let inFlight = 0;
  const started = performance.now();
  const progress = setInterval(() => report('progress', { pages }), 2_000);

  const fetchOne = async (url: string): Promise<void> => {
    try {
      const response = await request(url, { dispatcher: agent, headersTimeout: 30_000, bodyTimeout: 30_000 });
      const html = await response.body.text();
      if (response.statusCode !== 200) {
        failures++;
        return;
      }
      pages++;
      for (const match of html.matchAll(LINK)) {
        const href = match[1] ?? match[2] ?? '';
        let link: URL;
        try {
          link = new URL(href, url);
        } catch {
          continue;
        }
        link.hash = '';
        const key = link.href;
        if (!inScope(target, link) || seen.has(key) || seen.size >= target.maxPages) continue;
        seen.add(key);
        queue.push(key);
      }
    } catch {
      failures++;
    }
  };

  // `concurrency` loops share one queue; a loop that finds it empty waits while others may still add to it.
  const loop = async (): Promise<void> => {
    for (;;) {
      const url = queue.shift();
      if (url === undefined) {
        if (inFlight === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 2));
        continue;
      }
      inFlight++;
      await fetchOne(url);
      inFlight--;
    }
  };
  await Promise.all(Array.from({ length: target.concurrency }, loop));
  clearInterval(progress);
  const seconds = (performance.now() - started) / 1000;
  await agent.close();
  report('result', { pages, failures, seconds });
}

await main();
