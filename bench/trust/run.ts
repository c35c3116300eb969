/**
 * Entry point of the trust benchmark. Workspace packages export their TypeScript source under the `source`
 * condition; this re-runs itself with that condition on so the benchmark drives the current source of
 * `@gleaner/trust`, never a stale build. Arguments are passed through (see ./trust-bench.ts and README.md).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
if (process.execArgv.includes('--conditions=source')) {
  await import('./trust-bench.js');
} else {
  const result = spawnSync(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', path.join(here, 'run.ts'), ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  process.exitCode = result.status ?? 1;
}
