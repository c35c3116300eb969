/**
 * The crawl benchmark: Gleaner (embedded stack + nodes), Crawlee's CheerioCrawler and a bare undici loop, one after
 * the other against the same loopback fixture site of real-size pages, in one run; prints pages/s, peak memory
 * (RSS summed over each system's processes) and CPU time side by side. See README.md.
 *
 *   npx tsc -b && npx tsx bench/crawl/run.ts [--pages 3000] [--concurrency 16] [--nodes 2] [--node-bandwidth 1GiB]
 *     [--systems undici,crawlee,gleaner] [--timeout-min 45] [--corpus DIR] [--keep-data]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { CrawlTarget } from './crawl-target.js';
import { loadCorpusPages, startFixtureSite } from './fixture-site.js';
import { summarizeLogs } from './log-summary.js';
import { killAllGroups } from './process-group.js';
import { runBaseline } from './run-baseline.js';
import { runGleaner } from './run-gleaner.js';
import { mb, type SystemRun } from './system-run.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const SYSTEMS = ['undici', 'crawlee', 'gleaner'] as const;
type SystemName = (typeof SYSTEMS)[number];

function options() {
  const { values } = parseArgs({
    options: {
      pages: { type: 'string', default: '3000' },
      concurrency: { type: 'string', default: '16' },
      nodes: { type: 'string', default: '2' },
      'node-bandwidth': { type: 'string', default: '1GiB' },
      systems: { type: 'string', default: SYSTEMS.join(',') },
      'timeout-min': { type: 'string', default: '45' },
      corpus: { type: 'string', default: path.resolve(repoRoot, '../shared/corpus') },
      'keep-data': { type: 'boolean', default: false },
    },
  });
  const systems = values.systems.split(',').map((s) => s.trim());
  for (const s of systems) {
    if (!SYSTEMS.includes(s as SystemName))
      throw new Error(`--systems: unknown system "${s}" (${SYSTEMS.join(', ')})`);
  }
  const nodes = Number(values.nodes);
  const concurrency = Number(values.concurrency);
  if (!(nodes >= 1) || !(concurrency >= nodes))
    throw new Error('--nodes must be ≥ 1 and --concurrency ≥ --nodes');
  return {
    pages: Number(values.pages),
    concurrency,
    nodes,
    nodeBandwidth: values['node-bandwidth'],
    systems: systems as SystemName[],
    timeoutMs: Number(values['timeout-min']) * 60_000,
    corpusDir: values.corpus,
    keepData: values['keep-data'],
  };
}

/** Compiles this folder with tsc so the baseline children run as plain JavaScript, as Gleaner's apps do. */
function buildChildren(): void {
  const tsc = path.join(
    path.dirname(createRequire(import.meta.url).resolve('typescript/package.json')),
    'bin/tsc',
  );
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(here, 'tsconfig.json')], {
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('could not compile bench/crawl (see the errors above)');
}

function formatTable(runs: SystemRun[]): string {
  const base = runs.find((r) => r.system === 'undici' && !r.error);
  const rate = (r: SystemRun) => r.pages / r.seconds;
  const header = [
    'system',
    'pages',
    'stored',
    'failed',
    'seconds',
    'pages/s',
    'peak RSS MB',
    'procs',
    'CPU s',
    'speed vs undici',
    'RSS vs undici',
  ];
  const rows = runs.map((r) =>
    r.error
      ? [r.system, `failed: ${r.error}`]
      : [
          r.system,
          String(r.pages),
          r.stored === undefined ? '-' : String(r.stored),
          String(r.failures),
          r.seconds.toFixed(1),
          rate(r).toFixed(1),
          mb(r.peakRssKiB),
          String(r.peakProcesses),
          r.cpuSeconds.toFixed(1),
          base ? `${(rate(r) / rate(base)).toFixed(2)}×` : '-',
          base ? `${(r.peakRssKiB / base.peakRssKiB).toFixed(1)}×` : '-',
        ],
  );
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => (row.length > 2 ? (row[i] ?? '').length : 0))),
  );
  const line = (cells: string[]) =>
    cells.length === 2 && cells !== header
      ? `${cells[0]!.padEnd(widths[0]!)}  ${cells[1]}`
      : cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const opts = options();
  const say = (text: string) => process.stdout.write(`${text}\n`);
  if (!existsSync(path.join(repoRoot, 'apps/cli/dist/main.js'))) throw new Error('build first: npx tsc -b');
  buildChildren();
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'gleaner-crawl-bench-'));
  const logDir = path.join(workDir, 'logs');
  await mkdir(logDir, { recursive: true });
  const corpus = await loadCorpusPages(opts.corpusDir);
  const fixture = await startFixtureSite(opts.pages, corpus);
  const { site } = fixture;
  const runs: SystemRun[] = [];
  const deadline = Date.now() + opts.timeoutMs;
  const globalTimer = setTimeout(() => {
    process.stderr.write(`\nglobal timeout of ${opts.timeoutMs / 60_000} min reached; stopping everything\n`);
    if (runs.length) say(formatTable(runs));
    killAllGroups();
    process.exit(2);
  }, opts.timeoutMs + 60_000);
  try {
    say(
      `Crawl benchmark — ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, load ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    say(
      `fixture site    ${fixture.hosts.map((h) => site.origin(h)).join('  ')}\n` +
        `                ${fixture.expectedPages} pages reachable, corpus pages cycled: ${corpus.length} ` +
        `(mean ${(fixture.meanPageBytes / 1024).toFixed(0)} KiB), no duplicates/404s/500s\n` +
        `concurrency     ${opts.concurrency} in flight for each system (Gleaner: ${opts.nodes} nodes × ${Math.floor(opts.concurrency / opts.nodes)}, --bandwidth ${opts.nodeBandwidth} each)\n` +
        `work dir        ${workDir}\n`,
    );
    for (const system of opts.systems) {
      const timeoutMs = Math.max(1_000, deadline - Date.now());
      say(`${system}…`);
      const requestsBefore = site.requests.length;
      try {
        let run: SystemRun;
        if (system === 'gleaner') {
          run = await runGleaner({
            repoRoot,
            dataDir: path.join(workDir, 'gleaner'),
            seedUrl: site.seedUrl(),
            hosts: fixture.hosts,
            port: site.port,
            nodes: opts.nodes,
            nodeConcurrency: Math.floor(opts.concurrency / opts.nodes),
            nodeBandwidth: opts.nodeBandwidth,
            maxPages: fixture.expectedPages + 100,
            timeoutMs,
          });
        } else {
          const target: CrawlTarget = {
            seedUrl: site.seedUrl(),
            hosts: fixture.hosts,
            port: site.port,
            concurrency: opts.concurrency,
            maxPages: fixture.expectedPages + 100,
            storageDir: path.join(workDir, `${system}-storage`),
          };
          const script = path.join(
            here,
            'dist',
            system === 'undici' ? 'undici-loop.js' : 'crawlee-crawler.js',
          );
          run = await runBaseline(system, script, target, logDir, timeoutMs);
        }
        runs.push(run);
      } catch (error) {
        runs.push({
          system,
          pages: 0,
          failures: 0,
          seconds: 0,
          peakRssKiB: 0,
          peakProcesses: 0,
          cpuSeconds: 0,
          error: error instanceof Error ? error.message : String(error),
        });
      }
      const requests = site.requests.slice(requestsBefore);
      const offScope = requests.filter((r) => !fixture.hosts.includes(r.host)).length;
      say(`  ${system}: the site served ${requests.length} requests (${offScope} off scope)\n`);
    }
    say(
      `Results (${fixture.expectedPages} pages on the fixture site; speed = pages/s, RSS = peak summed RSS)\n`,
    );
    say(formatTable(runs));
    say("\nRSS at each system's peak, by process (MB):");
    for (const run of runs.filter((r) => r.peakBreakdown?.length)) {
      say(
        `  ${run.system.padEnd(18)} ${run.peakBreakdown!.map((p) => `${p.label} ${mb(p.kib)}`).join(' · ')}`,
      );
    }
    for (const run of runs.filter((r) => r.notes?.length)) {
      say(`\n${run.system}:`);
      for (const note of run.notes!) say(`  ${note}`);
    }
    if (opts.systems.includes('gleaner')) {
      const findings = await summarizeLogs([
        path.join(workDir, 'gleaner/stack/logs'),
        path.join(workDir, 'gleaner/bench-logs'),
      ]);
      say(`\nGleaner warnings and errors in its logs (${path.join(workDir, 'gleaner')}):`);
      if (findings.length === 0) say('  none');
      for (const f of findings.slice(0, 15))
        say(`  ${String(f.count).padStart(6)}  ${f.level.padEnd(5)} ${f.file}: ${f.msg}`);
    }
  } finally {
    clearTimeout(globalTimer);
    killAllGroups();
    await site.stop();
    // A failed run keeps its logs for a look, and makes the exit code non-zero.
    if (runs.some((r) => r.error)) process.exitCode = 1;
    if (opts.keepData || runs.some((r) => r.error)) say(`\nkept ${workDir}`);
    else await rm(workDir, { recursive: true, force: true });
  }
}

process.on('exit', killAllGroups);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: stopping every process the benchmark started\n`);
    killAllGroups();
    process.exit(130);
  });
}
main().then(
  () => process.exit(),
  (error: unknown) => {
    process.stderr.write(`crawl bench: ${error instanceof Error ? error.message : String(error)}\n`);
    killAllGroups();
    process.exit(1);
  },
);
