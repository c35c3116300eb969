import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** A child process started in its own process group, with its output in a log file. */
export interface GroupProcess {
  name: string;
  pid: number;
  child: ChildProcess;
  logFile: string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Called with every stdout line (after it is logged). */
  onLine(listener: (line: string) => void): void;
  /** Resolves with the first stdout line matching `pattern`; rejects on exit or after `timeoutMs`. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** SIGTERM to the leader, then SIGKILL to the whole group after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<GroupProcess>();

/** Sends SIGKILL to every group still running; safe to call from an `exit` handler (synchronous). */
export function killAllGroups(): void {
  for (const group of live) {
    try {
      process.kill(-group.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}

/**
 * Starts `command args…` detached into a new process group, so that it and everything it starts (redis-server,
 * the coordinator, …) can be stopped together even if this process dies first.
 */
export function startGroup(
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  logFile: string,
): GroupProcess {
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(command, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
  child.stderr!.pipe(log, { end: false });
  const listeners: ((line: string) => void)[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    log.write(`${line}\n`);
    for (const listener of listeners) listener(line);
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      live.delete(group);
      resolve(code);
    });
  });
  const group: GroupProcess = {
    name,
    pid: child.pid,
    child,
    logFile,
    exited,
    onLine: (listener) => listeners.push(listener),
    waitForLine(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(`${name} printed no line matching ${pattern} in ${timeoutMs} ms; see ${logFile}`),
            ),
          timeoutMs,
        );
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`${name} exited (code ${code}); see ${logFile}`));
        });
        listeners.push((line) => {
          const match = line.match(pattern);
          if (!match) return;
          clearTimeout(timer);
          resolve(match);
        });
      });
    },
    async stop(graceMs = 20_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => {
          try {
            process.kill(-group.pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }, graceMs);
        await exited;
        clearTimeout(timer);
      }
      // Anything the leader left behind in its group goes too.
      try {
        process.kill(-group.pid, 'SIGKILL');
      } catch {
        // nothing left
      }
      live.delete(group);
      log.end();
    },
  };
  live.add(group);
  return group;
}
