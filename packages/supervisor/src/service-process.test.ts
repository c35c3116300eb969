import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServiceProcess } from './service-process.js';

const supervisorIndex = pathToFileURL(path.resolve(import.meta.dirname, '../dist/index.js')).href;

/** Whether a process runs; a zombie that its new parent has not reaped yet does not. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '');
  } catch {
    return process.platform !== 'linux';
  }
}

async function waitUntilGone(pids: number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return pids.filter(alive);
}

/** The first child of `pid`, once it has one. */
async function childOf(pid: number): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      return Number(
        execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
          .trim()
          .split('\n')[0],
      );
    } catch (error) {
      if (attempt > 100) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

describe('children of a supervisor that dies', () => {
  let dir: string;
  const pids: number[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'supervisor-'));
  });
  afterEach(async () => {
    for (const pid of pids.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('end when it is killed with SIGKILL: a service after its own clean stop, a watched program too', async () => {
    const service = path.join(dir, 'service.mjs');
    // A service that stops cleanly on SIGTERM, as the coordinator and the worker do.
    await writeFile(
      service,
      `import { writeFileSync } from 'node:fs';
       process.on('SIGTERM', () => { writeFileSync(${JSON.stringify(path.join(dir, 'stopped'))}, ''); process.exit(0); });
       setInterval(() => {}, 1000);
       console.log('{"event":"started"}');`,
    );
    const parent = path.join(dir, 'parent.mjs');
    await writeFile(
      parent,
      `import { spawnWatched, startServiceProcess } from ${JSON.stringify(supervisorIndex)};
       const service = await startServiceProcess('service', ${JSON.stringify(service)}, [], process.env, ${JSON.stringify(dir)});
       await service.waitForEvent('started');
       const program = spawnWatched('sleep', ['600']);
       await new Promise((resolve) => program.once('spawn', resolve));
       console.log(JSON.stringify({ service: service.child.pid, watchdog: program.pid }));`,
    );
    const supervisor = spawn(process.execPath, [parent], { stdio: ['ignore', 'pipe', 'inherit'] });
    pids.push(supervisor.pid!);
    const line = await new Promise<string>((resolve) =>
      createInterface({ input: supervisor.stdout! }).once('line', resolve),
    );
    const started = JSON.parse(line) as { service: number; watchdog: number };
    // The watchdog's child: `sleep`, which knows nothing of its grandparent.
    const sleeper = await childOf(started.watchdog);
    pids.push(started.service, started.watchdog, sleeper);
    expect([started.service, started.watchdog, sleeper].every(alive)).toBe(true);

    supervisor.kill('SIGKILL');
    expect(await waitUntilGone([started.service, started.watchdog, sleeper], 10_000)).toEqual([]);
    expect(existsSync(path.join(dir, 'stopped'))).toBe(true);
  });

  it('leave a service free to end on its own: the watch keeps nothing alive', async () => {
    const service = path.join(dir, 'brief.mjs');
    await writeFile(service, `console.log('{"event":"done"}');`);
    const child = await startServiceProcess('brief', service, [], process.env, dir);
    const code = await new Promise((resolve) => child.child.once('exit', resolve));
    expect(code).toBe(0);
    await child.stop();
  });
});
