/**
 * Entry point of the frontier benchmark. Workspace packages export their TypeScript source under the `source`
 * condition; this starts a child Node with that condition so the benchmark always measures the current source,
 * and passes the flags through (see README.md).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
if (process.execArgv.includes('--conditions=source')) {
  await import('./frontier-bench.js');
} else {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', path.join(here, 'run.ts'), ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  // The child cleans up on SIGINT/SIGTERM; forward them instead of dying first.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => (process.exitCode = code ?? 1));
}
