import { spawn, type ChildProcess, type StdioNull, type StdioPipe } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PARENT_PIPE_ENV } from './parent-watch.js';

/**
 * The built file of one of this package's entry points. From `src/` (tests run the sources) and from `dist/` alike
 * it is `../dist/NAME.js`: children run plain Node, which cannot load the TypeScript sources.
 */
export function supervisorEntry(name: 'exit-with-parent' | 'watchdog'): string {
  return fileURLToPath(new URL(`../dist/${name}.js`, import.meta.url));
}

/** The standard streams of a {@link spawnWatched} program: stdin, stdout, stderr. */
export type WatchedStdio = [StdioNull, StdioNull | StdioPipe, StdioNull | StdioPipe];

/**
 * Spawns `command args…` under the package's watchdog, which ends it (SIGTERM, SIGKILL after 10 s) when this process
 * dies, `kill -9` included: for programs such as redis-server that cannot watch their parent themselves.
 *
 * The returned process is the watchdog's: signals sent to it reach the program, its exit code is the program's, and
 * the program writes to the streams given in `stdio`. Its pid is the watchdog's, not the program's.
 */
export function spawnWatched(
  command: string,
  args: string[],
  stdio: WatchedStdio = ['ignore', 'ignore', 'pipe'],
): ChildProcess {
  return spawn(process.execPath, [supervisorEntry('watchdog'), command, ...args], {
    env: { ...process.env, [PARENT_PIPE_ENV]: '3' },
    // fd 3: the pipe whose EOF tells the watchdog that this process is gone; nothing is ever written to it.
    stdio: [...stdio, 'pipe'],
  });
}
