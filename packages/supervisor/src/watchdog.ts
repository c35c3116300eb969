/**
 * `node watchdog.js COMMAND [ARGS…]`: runs a program that cannot watch its parent itself (redis-server) and ends it
 * when the parent of the watchdog dies, `kill -9` included; see {@link spawnWatched}.
 *
 * SIGTERM and SIGINT are passed on to the program, and the watchdog exits with the program's exit code, so that to
 * its parent it looks like the program itself.
 */
import { spawn } from 'node:child_process';
import { watchParent } from './parent-watch.js';

/** How long the program may take to stop on SIGTERM (redis-server flushes its AOF) before SIGKILL, ms. */
const STOP_GRACE_MS = 10_000;

const [command, ...args] = process.argv.slice(2);
if (!command) {
  process.stderr.write('usage: watchdog COMMAND [ARGS…]\n');
  process.exit(2);
}
const program = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
const stop = (signal: NodeJS.Signals) => {
  program.kill(signal);
  setTimeout(() => program.kill('SIGKILL'), STOP_GRACE_MS).unref();
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
watchParent({ onParentGone: () => stop('SIGTERM') });
program.once('error', (error) => {
  process.stderr.write(`watchdog: could not start ${command}: ${error.message}\n`);
  // 127: the shell's "command not found", which the parent can tell from the program's own failures.
  process.exit(127);
});
program.once('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
