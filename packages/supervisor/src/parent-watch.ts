import { Socket } from 'node:net';
import { isMainThread } from 'node:worker_threads';

/**
 * The environment variable through which a supervising parent names the file descriptor of the pipe it holds open
 * to its child (see {@link startServiceProcess} and {@link spawnWatched}).
 */
export const PARENT_PIPE_ENV = 'GLEANER_PARENT_PIPE_FD';

/** Options for {@link watchParent}. */
export interface WatchParentOptions {
  /**
   * Called once when the parent is gone. Default: SIGTERM to this process, so that its own clean stop runs, and an
   * exit after `graceMs` whatever that stop is doing.
   */
  onParentGone?: () => void;
  /** How long the default clean stop may take before the process exits anyway, ms. Default 5,000. */
  graceMs?: number;
}

/**
 * Ends this process when the parent that started it dies, however it dies (`kill -9` included).
 *
 * Linux has no portable "die with parent" for Node without native code, so the parent hands its child one end of
 * a pipe and never writes to it: the kernel closes the parent's end when the parent dies, and the child reads EOF.
 * Nothing else can produce that EOF, and it cannot be missed the way a polled parent pid can (the pid may be reused,
 * and an orphan is re-parented to a subreaper rather than to pid 1 in containers).
 *
 * Does nothing unless the parent named the pipe in {@link PARENT_PIPE_ENV}; the variable is removed at once, so that
 * the process's own Node children never take whatever they find at that descriptor for a pipe from their parent.
 * Returns whether a parent is watched.
 */
export function watchParent(options: WatchParentOptions = {}): boolean {
  const fd = Number(process.env[PARENT_PIPE_ENV]);
  delete process.env[PARENT_PIPE_ENV];
  // Worker threads share the descriptor table: a second reader on the pipe would race the main thread for the EOF.
  if (!isMainThread || !Number.isInteger(fd) || fd < 3) return false;
  const graceMs = options.graceMs ?? 5000;
  const onParentGone =
    options.onParentGone ??
    (() => {
      // The clean stop often needs what died with the parent (its in-process PGlite): it may never finish.
      setTimeout(() => process.exit(1), graceMs).unref();
      process.kill(process.pid, 'SIGTERM');
    });
  let gone = false;
  const pipe = new Socket({ fd, readable: true, writable: false });
  const parentGone = () => {
    if (gone) return;
    gone = true;
    onParentGone();
  };
  pipe.on('end', parentGone);
  pipe.on('close', parentGone);
  pipe.on('error', parentGone);
  pipe.resume();
  // The watch alone must not keep the process alive once its real work is done.
  pipe.unref();
  return true;
}
