import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { TestGateway, testJob } from '@gleaner/node-core/testing';

/** Resident set size of `pid` in bytes, from `/proc/<pid>/status` (VmRSS); undefined once it has exited. */
export function residentBytes(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Samples the RSS of `pid` every `everyMs` for `forMs`. */
async function sampleRss(pid: number, forMs: number, everyMs = 200): Promise<number[]> {
  const samples: number[] = [];
  const until = performance.now() + forMs;
  while (performance.now() < until) {
    const rss = residentBytes(pid);
    if (rss !== undefined) samples.push(rss);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return samples;
}

/** What {@link measureNodeMemory} found. */
export interface NodeMemory {
  idleMedianBytes: number;
  idleMaxBytes: number;
  loadMedianBytes: number;
  loadPeakBytes: number;
  /** Jobs the gateway sent per second, and results that came back per second, during the load phase. */
  offeredPerSecond: number;
  donePerSecond: number;
  failed: number;
  samples: { idle: number; load: number };
}

/** Options of {@link measureNodeMemory}. */
export interface NodeMemoryOptions {
  /** `apps/node/dist/main.js`. */
  nodeMain: string;
  /** Page URLs on the loopback fixture, and its port. */
  urls: string[];
  port: number;
  idleMs: number;
  loadMs: number;
  pagesPerSecond: number;
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Runs the real `gleaner-node start` against a protocol-v1 test gateway on loopback and samples its RSS: idle
 * (connected, no jobs), then while the gateway offers `pagesPerSecond` jobs for the fixture's pages.
 */
export async function measureNodeMemory(options: NodeMemoryOptions): Promise<NodeMemory> {
  const gateway = await TestGateway.start();
  const dir = await mkdtemp(path.join(tmpdir(), 'gleaner-node-bench-'));
  let child: ChildProcess | undefined;
  try {
    child = spawn(
      process.execPath,
      [
        options.nodeMain,
        'start',
        ...['--coordinator', gateway.url],
        ...['--data-dir', dir, '--config', path.join(dir, 'config.json')],
        ...['--allow-ports', String(options.port), '--allow-private'],
        // The cap and quota are lifted so the node fetches as fast as it is offered work.
        ...['--bandwidth', '1GiB', '--daily-quota', '1000GiB', '--log-level', 'warn'],
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { PATH: process.env.PATH ?? '', HOME: dir, GLEANER_OWNER_TOKEN: 'bench-owner-token' },
      },
    );
    const pid = child.pid;
    if (pid === undefined) throw new Error('could not start gleaner-node');
    // Pino's log lines share stdout with the events; the first event must be `started`.
    const first = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child?.stdout as NodeJS.ReadableStream });
      lines.on('line', (line) => {
        if (line.startsWith('{"event":')) resolve(line);
      });
      child?.once('exit', (code) => reject(new Error(`gleaner-node exited with ${code}`)));
    });
    if (!first.startsWith('{"event":"started"')) throw new Error(`unexpected first event: ${first}`);
    await waitFor(() => gateway.connections > 0, 10_000, 'the node to connect');

    // Let start-up garbage settle before calling the node idle.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const idle = await sampleRss(pid, options.idleMs);

    let offered = 0;
    const feedEveryMs = 1000 / options.pagesPerSecond;
    const feedStarted = performance.now();
    const feeder = setInterval(() => {
      // Catch up on timer lateness so the offered rate holds.
      const due = Math.floor((performance.now() - feedStarted) / feedEveryMs) + 1;
      while (offered < due) {
        const url = options.urls[offered % options.urls.length] as string;
        gateway.enqueue(testJob(url, `bench-${offered}`));
        offered++;
      }
    }, feedEveryMs);
    const load = await sampleRss(pid, options.loadMs);
    clearInterval(feeder);
    const loadSeconds = (performance.now() - feedStarted) / 1000;
    const done = gateway.results.length;
    return {
      idleMedianBytes: median(idle),
      idleMaxBytes: Math.max(...idle),
      loadMedianBytes: median(load),
      loadPeakBytes: Math.max(...load),
      offeredPerSecond: offered / loadSeconds,
      donePerSecond: done / loadSeconds,
      failed: gateway.results.filter((r) => r.error !== undefined).length,
      samples: { idle: idle.length, load: load.length },
    };
  } finally {
    if (child !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await gateway.close();
    await rm(dir, { recursive: true, force: true });
  }
}
