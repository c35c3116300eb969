// The node's benchmark: its fetch path against a bare undici loop, and the real node's memory idle and under load.
// Run from the repo root after `npx tsc -b`: npx tsx bench/node/run.ts
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultNodeConfig } from '@gleaner/node-core';
import { bareUndiciPath, nodeFetchPath, runLoop, type FetchPath, type LoopResult } from './fetch-loops.js';
import { measureNodeMemory } from './node-memory.js';
import { startPageFixtureProcess } from './page-fixture.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpusDir = path.resolve(repoRoot, '../shared/corpus');
const nodeMain = path.join(repoRoot, 'apps/node/dist/main.js');

const PAGES = Number(process.env.BENCH_PAGES ?? 1500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const LOAD_RATE = 50;
// The node's own default concurrency, so both loops keep as many fetches in flight as a node would.
const CONCURRENCY = defaultNodeConfig({ dataDir: '', name: '' }).concurrency;

const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

async function timed(make: () => FetchPath, urls: string[]): Promise<LoopResult> {
  const fetchPath = make();
  try {
    await runLoop(urls, Math.min(200, PAGES), CONCURRENCY, fetchPath.fetchOne); // warm-up: JIT, connections
    return await runLoop(urls, PAGES, CONCURRENCY, fetchPath.fetchOne);
  } finally {
    await fetchPath.close();
  }
}

async function main(): Promise<void> {
  if (!existsSync(nodeMain)) throw new Error(`build first (npx tsc -b): ${nodeMain} is missing`);
  const fixture = await startPageFixtureProcess(corpusDir);
  try {
    process.stderr.write(
      `${fixture.urls.length} corpus pages, mean ${(fixture.meanBytes / 1024).toFixed(0)} KiB; ` +
        `${PAGES} fetches × ${ROUNDS} rounds each, concurrency ${CONCURRENCY}\n`,
    );
    const bare: LoopResult[] = [];
    const node: LoopResult[] = [];
    // Each round runs both loops back to back, in alternating order, and the ratio is taken within the round: drift
    // on a shared machine (other tenants come and go within seconds) then weighs on both sides of every ratio alike.
    for (let round = 0; round < ROUNDS; round++) {
      const runBare = async () => bare.push(await timed(bareUndiciPath, fixture.urls));
      const runNode = async () => node.push(await timed(() => nodeFetchPath(fixture.port), fixture.urls));
      if (round % 2 === 0) await runBare().then(runNode);
      else await runNode().then(runBare);
    }
    const bareRate = median(bare.map((r) => r.pagesPerSecond));
    const nodeRate = median(node.map((r) => r.pagesPerSecond));
    const wallRatios = node.map((r, i) => r.pagesPerSecond / (bare[i] as LoopResult).pagesPerSecond);
    // Pages per CPU-second: what throughput a CPU-bound node gets, and far steadier than wall time on a shared machine.
    const cpuRatios = node.map((r, i) => (bare[i] as LoopResult).cpuMicrosPerPage / r.cpuMicrosPerPage);
    const spread = (values: number[], digits = 2): string =>
      `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;

    process.stderr.write(
      `fetch loops done; starting gleaner-node for memory (idle 10 s, ${LOAD_RATE} pages/s 20 s)\n`,
    );
    const memory = await measureNodeMemory({
      nodeMain,
      urls: fixture.urls,
      port: fixture.port,
      idleMs: 10_000,
      loadMs: 20_000,
      pagesPerSecond: LOAD_RATE,
    });

    const ratio = median(wallRatios);
    const cpuRatio = median(cpuRatios);
    const bareCpu = median(bare.map((r) => r.cpuMicrosPerPage));
    const nodeCpu = median(node.map((r) => r.cpuMicrosPerPage));
    process.stdout.write(
      `\nFetch path (loopback, ${fixture.urls.length} real pages, mean ${(fixture.meanBytes / 1024).toFixed(0)} KiB, ` +
        `${PAGES} pages per loop and round, concurrency ${CONCURRENCY}; medians of ${ROUNDS} rounds)\n` +
        table([
          ['loop', 'pages/s', 'MiB/s', 'CPU µs/page', 'per round'],
          [
            'bare undici (keep-alive Agent)',
            bareRate.toFixed(0),
            mib(bareRate * fixture.meanBytes),
            bareCpu.toFixed(0),
            `pages/s ${spread(
              bare.map((r) => r.pagesPerSecond),
              0,
            )}`,
          ],
          [
            'node SafeFetcher',
            nodeRate.toFixed(0),
            mib(nodeRate * fixture.meanBytes),
            nodeCpu.toFixed(0),
            `pages/s ${spread(
              node.map((r) => r.pagesPerSecond),
              0,
            )}`,
          ],
          [
            'ratio node / bare (within rounds)',
            ratio.toFixed(2),
            '',
            cpuRatio.toFixed(2),
            `wall ${spread(wallRatios)}, per CPU-second ${spread(cpuRatios)}`,
          ],
        ]) +
        `\ntarget >= 0.80: wall ${ratio >= 0.8 ? 'met' : 'MISSED'}, per CPU-second ${cpuRatio >= 0.8 ? 'met' : 'MISSED'}` +
        `\n\ngleaner-node start (no browser), VmRSS sampled every 200 ms\n` +
        table([
          ['phase', 'median MiB', 'max MiB', 'samples', 'note'],
          [
            'idle, connected',
            mib(memory.idleMedianBytes),
            mib(memory.idleMaxBytes),
            String(memory.samples.idle),
            `target < 60 MiB: ${memory.idleMaxBytes < 60 * 1024 * 1024 ? 'met' : 'MISSED'}`,
          ],
          [
            `fetching ${LOAD_RATE} pages/s`,
            mib(memory.loadMedianBytes),
            mib(memory.loadPeakBytes),
            String(memory.samples.load),
            `offered ${memory.offeredPerSecond.toFixed(1)}/s, done ${memory.donePerSecond.toFixed(1)}/s, failed ${memory.failed}`,
          ],
        ]) +
        '\n',
    );
  } finally {
    await fixture.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench/node: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
