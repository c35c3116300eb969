import path from 'node:path';
import type { CrawlResult, CrawlTarget } from './crawl-target.js';
import { startGroup } from './process-group.js';
import { RssSampler } from './rss-sampler.js';
import { mb, progressTicker, type SystemRun } from './system-run.js';

/**
 * Runs one baseline crawler (`dist/<script>.js`) in a child process on `target`, measuring its memory alone, and
 * returns its row. Rejects when the child fails or takes longer than `timeoutMs`.
 */
export async function runBaseline(
  system: string,
  script: string,
  target: CrawlTarget,
  logDir: string,
  timeoutMs: number,
): Promise<SystemRun> {
  const sampler = new RssSampler();
  const child = startGroup(
    system,
    process.execPath,
    [script, JSON.stringify(target)],
    { ...process.env, CRAWLEE_STORAGE_DIR: target.storageDir },
    path.join(logDir, `${system}.log`),
  );
  sampler.add(child.pid);
  sampler.start();
  let pages = 0;
  let result: CrawlResult | undefined;
  child.onLine((line) => {
    if (!line.startsWith('{"event"')) return;
    const event = JSON.parse(line) as { event: string } & CrawlResult;
    if (event.event === 'progress') pages = event.pages;
    if (event.event === 'result') result = event;
  });
  const stopTicker = progressTicker(system, () => `${pages} pages · RSS ${mb(sampler.lastKiB)} MB`);
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${system} did not finish in ${timeoutMs / 1000} s`)),
        timeoutMs,
      );
    });
    const code = await Promise.race([child.exited, timeout]);
    if (code !== 0 || !result) throw new Error(`${system} exited with code ${code}; see ${child.logFile}`);
    return {
      system,
      pages: result.pages + result.failures,
      failures: result.failures,
      stored: result.stored,
      seconds: result.seconds,
      peakRssKiB: sampler.peakKiB,
      peakProcesses: sampler.peakProcesses,
      cpuSeconds: sampler.cpuSeconds(),
      peakBreakdown: sampler.peakBreakdown,
    };
  } finally {
    clearTimeout(timer);
    stopTicker();
    sampler.stop();
    await child.stop(5_000);
  }
}
