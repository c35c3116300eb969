#!/usr/bin/env node
import { configCommand } from './config-command.js';
import { controlCommand } from './control-commands.js';
import { fetchCommand } from './fetch-command.js';
import { logCommand } from './log-command.js';
import { loadCommandContext, USAGE } from './node-options.js';
import { pairCommand } from './pair-command.js';
import { startCommand } from './start-command.js';

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  // The one place this app reads the environment.
  const env = process.env;
  switch (command) {
    case 'start':
      if (rest.includes('--help') || rest.includes('-h')) return void process.stdout.write(USAGE);
      return startCommand(
        await loadCommandContext(rest, env, {
          'allow-private': { type: 'boolean' },
          'token-stdin': { type: 'boolean' },
        }),
      );
    case 'status':
    case 'pause':
    case 'resume':
      return controlCommand(command, await loadCommandContext(rest, env, { json: { type: 'boolean' } }));
    case 'log':
      return logCommand(
        await loadCommandContext(rest, env, {
          lines: { type: 'string', short: 'n' },
          follow: { type: 'boolean', short: 'f' },
        }),
      );
    case 'pair':
      return pairCommand(await loadCommandContext(rest, env));
    case 'config':
      return configCommand(await loadCommandContext(rest, env));
    case 'fetch':
      return fetchCommand(
        await loadCommandContext(rest, env, {
          'allow-private': { type: 'boolean' },
          json: { type: 'boolean' },
        }),
      );
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return;
    default:
      throw new Error(`unknown command "${command}"; try: gleaner-node help`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`gleaner-node: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
