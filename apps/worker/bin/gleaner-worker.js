#!/usr/bin/env node
// `gleaner-worker`: the worker server.
// npm links a package's commands when it installs, before the build has made dist/, so the command is this
// committed file, which runs the built entry point, or says how to build it.
import { existsSync } from 'node:fs';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';

const entry = new URL('../dist/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    `gleaner-worker: ${fileURLToPath(entry)} is not built yet: run \`npm run build\` at the repository root\n`,
  );
  process.exit(1);
}
await import(entry.href);
