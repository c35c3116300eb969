import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '@gleaner/queue';

const cliEntry = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/** Parent pid and state of every process, from /proc. */
function processTable(): Map<number, { ppid: number; state: string; name: string }> {
  const table = new Map<number, { ppid: number; state: string; name: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The name sits in parentheses and may hold spaces; the fields after it are plain.
      const close = stat.lastIndexOf(')');
      const [state = '', ppid = '0'] = stat.slice(close + 2).split(' ');
      table.set(Number(entry), { ppid: Number(ppid), state, name: stat.slice(stat.indexOf('(') + 1, close) });
    } catch {
      // the process ended while we read the table
    }
  }
  return table;
}

/** Every descendant of `pid`, with its name. */
function descendants(pid: number): Map<number, string> {
  const table = processTable();
  const found = new Map<number, string>();
  const visit = (parent: number) => {
    for (const [child, info] of table)
      if (info.ppid === parent && !found.has(child)) {
        found.set(child, info.name);
        visit(child);
      }
  };
  visit(pid);
  return found;
}

/** Whether a process still runs (a zombie waiting to be reaped does not). */
function running(pid: number): boolean {
  try {
    return !/^Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '');
  } catch {
    return false;
  }
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

describe.skipIf(process.platform !== 'linux')('gleaner start killed with SIGKILL', () => {
  let dataDir: string;
  const started: ChildProcess[] = [];
  const seen = new Set<number>();

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'gleaner-start-'));
  });
  afterEach(async () => {
    for (const cli of started.splice(0)) {
      if (cli.exitCode !== null || cli.signalCode !== null) continue;
      const exited = new Promise((resolve) => cli.once('exit', resolve));
      cli.kill('SIGTERM');
      await exited;
    }
    // Whatever the fix under test failed to end, the test ends, so that no redis-server outlives it.
    for (const pid of seen) if (running(pid)) process.kill(pid, 'SIGKILL');
    seen.clear();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function startCli(port: number): Promise<ChildProcess> {
    const env = { ...process.env };
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'GLEANER_ADMIN_TOKEN', 'GLEANER_DATA_DIR'])
      delete env[name];
    const cli = spawn(process.execPath, [cliEntry, 'start', '--data-dir', dataDir, '--port', String(port)], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    started.push(cli);
    let output = '';
    cli.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`gleaner start did not get ready:\n${output}`)),
        90_000,
      );
      cli.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready.')) {
          clearTimeout(timer);
          resolve();
        }
      });
      cli.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`gleaner start exited (code ${code}):\n${output}`));
      });
    });
    return cli;
  }

  it('takes every child with it, frees the port, and starts again on the same data folder', async () => {
    const port = await freePort();
    const first = await startCli(port);
    const children = descendants(first.pid!);
    for (const pid of children.keys()) seen.add(pid);
    // At least the worker, the coordinator and redis-server.
    expect([...children.values()].filter((name) => name === 'redis-server')).toHaveLength(1);
    expect(children.size).toBeGreaterThanOrEqual(3);

    const killed = new Promise((resolve) => first.once('exit', resolve));
    first.kill('SIGKILL');
    await killed;
    const deadline = Date.now() + 10_000;
    while ([...children.keys()].some(running) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    const survivors = [...children].filter(([pid]) => running(pid));
    expect(survivors).toEqual([]);
    expect(await portIsFree(port)).toBe(true);

    const second = await startCli(port);
    for (const pid of descendants(second.pid!).keys()) seen.add(pid);
    let said = '';
    second.stdout!.on('data', (chunk: Buffer) => (said += chunk.toString()));
    second.stderr!.on('data', (chunk: Buffer) => (said += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      second.once('exit', (code, signal) => resolve({ code, signal })),
    );
    second.kill('SIGTERM');
    // A clean stop of its own, not death by the signal; what it said on the way out explains a failure.
    expect({ ...(await exited), said }).toEqual({
      code: 0,
      signal: null,
      said: expect.any(String) as string,
    });
    // Two whole stacks start one after the other, each allowed 90 s on a loaded machine.
  }, 240_000);
});
