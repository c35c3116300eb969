import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { PARENT_PIPE_ENV } from './parent-watch.js';
import { supervisorEntry } from './spawn-watched.js';

/** A child process of Gleaner's whose output goes to a log file. */
export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  logFile: string;
  /** Resolves with the first JSON line on stdout that has `event === eventName`. */
  waitForEvent(eventName: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Sends SIGTERM and waits for the exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `node entry args…` with `env`, logging its stdout and stderr to `logDir/name.log`.
 *
 * The child ends when this process dies, `kill -9` included (see {@link watchParent}): it is preloaded with a
 * module that watches a pipe from this process, so neither a coordinator holding its port nor a node connected to
 * it outlives a `gleaner start` that was killed.
 */
export async function startServiceProcess(
  name: string,
  entry: string,
  args: string[],
  env: Record<string, string | undefined>,
  logDir: string,
): Promise<ServiceProcess> {
  await mkdir(logDir, { recursive: true });
  const logFile = path.join(logDir, `${name}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(
    process.execPath,
    ['--import', pathToFileURL(supervisorEntry('exit-with-parent')).href, entry, ...args],
    // fd 3: the pipe whose EOF tells the child that this process is gone; nothing is ever written to it.
    { env: { ...env, [PARENT_PIPE_ENV]: '3' }, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] },
  );
  child.stderr!.pipe(log, { end: false });
  const events: Record<string, unknown>[] = [];
  const waiters: { name: string; resolve: (e: Record<string, unknown>) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    log.write(`${line}\n`);
    if (!line.startsWith('{"event"')) return;
    try {
      const event = JSON.parse(line) as Record<string, unknown>;
      events.push(event);
      for (const w of waiters.filter((w) => w.name === event.event)) w.resolve(event);
    } catch {
      // not an event line
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    name,
    child,
    logFile,
    waitForEvent(eventName, timeoutMs = 60_000) {
      const found = events.find((e) => e.event === eventName);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${name} did not report "${eventName}" in ${timeoutMs} ms; see ${logFile}`)),
          timeoutMs,
        );
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`${name} exited (code ${code}) before "${eventName}"; see ${logFile}`));
        });
        waiters.push({
          name: eventName,
          resolve: (e) => {
            clearTimeout(timer);
            resolve(e);
          },
        });
      });
    },
    async stop(graceMs = 15_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      log.end();
    },
  };
}
