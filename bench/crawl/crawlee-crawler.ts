/**
 * Crawlee's CheerioCrawler on the fixture site: stores each page's title and text in a Dataset on disk, follows
 * in-scope links with `enqueueLinks`. Run as a child process by run.ts (`node dist/crawlee-crawler.js <target>`).
 */
import { CheerioCrawler, Configuration, Dataset, log } from '@crawlee/cheerio';
import { report, targetFromArgv } from './crawl-target.js';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function main(): Promise<void> {
  const target = targetFromArgv();
  log.setLevel(log.LEVELS.WARNING);
  const config = new Configuration({
    persistStorage: true,
    purgeOnStart: true,
    storageClientOptions: { localDataDirectory: target.storageDir },
  });
  const dataset = await Dataset.open(undefined, { config });
  const inScope = target.hosts.map((host) => new RegExp(`^http://${escapeRegExp(host)}:${target.port}/`));
  let pages = 0;
  let failures = 0;
  const crawler = new CheerioCrawler(
    {
      // A fixed pool, like the other systems, instead of Crawlee's autoscaling from 1 upwards.
      minConcurrency: target.concurrency,
      maxConcurrency: target.concurrency,
      maxRequestsPerCrawl: target.maxPages,
      async requestHandler({ $, request, enqueueLinks }) {
        const title = $('title').first().text().trim();
        const text = $('body').text().replace(/\s+/g, ' ').trim();
        await dataset.pushData({ url: request.loadedUrl ?? request.url, title, text });
        pages++;
        await enqueueLinks({ strategy: 'all', regexps: inScope });
      },
      failedRequestHandler() {
        failures++;
      },
    },
    config,
  );
  const started = performance.now();
  const progress = setInterval(() => report('progress', { pages }), 2_000);
  await crawler.run([target.seedUrl]);
  clearInterval(progress);
  const seconds = (performance.now() - started) / 1000;
  const stored = (await dataset.getInfo())?.itemCount ?? pages;
  report('result', { pages, failures, seconds, stored });
}

await main();
