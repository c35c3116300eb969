import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** The built entry point of one of Gleaner's apps (`@gleaner/coordinator` → its `dist/main.js`). */
export function appEntry(packageName: '@gleaner/coordinator' | '@gleaner/worker' | '@gleaner/node'): string {
  return path.join(path.dirname(require.resolve(`${packageName}/package.json`)), 'dist', 'main.js');
}
