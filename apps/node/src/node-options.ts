import { homedir, hostname } from 'node:os';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import {
  CONFIG_KEYS,
  defaultConfigFile,
  defaultNodeConfig,
  readConfigFile,
  resolveNodeConfig,
  type ResolvedConfig,
} from '@gleaner/node-core';

/** A command's parsed arguments and the configuration resolved from flags > env > file > defaults. */
export interface CommandContext extends ResolvedConfig {
  /** The config file in use (it may not exist yet). */
  configFile: string;
  /** Flags that are not settings (`--lines`, `--follow`, `--allow-private`, …). */
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  env: Record<string, string | undefined>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Settings that never come from a flag: a command line is visible to every local user (`ps`). */
const NOT_FROM_FLAGS = new Set<string>(['token']);

/** Where the owner token goes instead of a flag; the error for `--token` says so. */
export const TOKEN_PLACES =
  'pair the node by code (gleaner-node pair COORDINATOR_URL), put it in the config file (echo TOKEN | gleaner-node config set token -), in the environment ' +
  '(GLEANER_OWNER_TOKEN), or give it on standard input (echo TOKEN | gleaner-node start --token-stdin)';

/** Flags every command accepts: one per setting (but the token), plus `--config FILE`. */
export const SETTING_FLAGS: Options = {
  config: { type: 'string' },
  ...Object.fromEntries(
    Object.values(CONFIG_KEYS)
      .filter((spec) => !NOT_FROM_FLAGS.has(spec.flag))
      .map((spec) => [spec.flag, { type: spec.flag === 'render' ? 'boolean' : 'string' }]),
  ),
} as Options;

/** Refuses `--token` (and `--token=…`) with where to put the token instead, before anything else is parsed. */
function refuseSecretFlags(argv: string[]): void {
  for (const arg of argv) {
    if (arg === '--') return;
    if (arg === '--token' || arg.startsWith('--token=')) {
      throw new Error(
        `--token is not accepted: other users of this machine can read command lines. Instead, ${TOKEN_PLACES}`,
      );
    }
  }
}

/** Parses `argv` with the setting flags and `extra` ones, reads the config file and resolves the configuration. */
export async function loadCommandContext(
  argv: string[],
  env: Record<string, string | undefined>,
  extra: Options = {},
): Promise<CommandContext> {
  refuseSecretFlags(argv);
  const { values, positionals } = parseArgs({
    args: argv,
    options: { ...SETTING_FLAGS, ...extra },
    strict: true,
    allowPositionals: true,
  });
  const configFile =
    typeof values.config === 'string' ? path.resolve(values.config) : defaultConfigFile(env, homedir());
  const file = await readConfigFile(configFile);
  const resolved = resolveNodeConfig({
    flags: values,
    env,
    file,
    defaults: defaultNodeConfig({
      dataDir: path.join(homedir(), '.config', 'gleaner-node'),
      name: env.HOSTNAME || hostname() || 'gleaner-node',
    }),
  });
  return { ...resolved, configFile, values: values as CommandContext['values'], positionals, env };
}

/** Usage text of `gleaner-node`. */
export const USAGE = `Usage: gleaner-node <command> [options]

Lends this machine's idle bandwidth to a Gleaner coordinator, safely and within your limits.

Commands:
  pair COORDINATOR_URL    pair this node by code: approve the code it shows on the coordinator's
                          pairing page, no token typed here (then: start)
  start                   run the node (prints its status page link)
  status [--json]         what the running node is doing
  pause | resume          stop / restart taking jobs on the running node
  log [--lines N] [--follow]   every URL this node fetched
  config                  the settings in force and where each comes from
  config set KEY VALUE    write a setting to the config file (config unset KEY removes it)
  fetch URL [--render] [--json]   one fetch through the node's own guard and limits

Settings (flags > environment > config file > defaults):
  --coordinator URL       coordinator base URL (GLEANER_COORDINATOR_URL)
  (owner token)           GLEANER_OWNER_TOKEN, the config file (config set token -, from standard
                          input) or start --token-stdin; never a flag, which every local user can see
  --data-dir DIR          key, usage and fetch log (GLEANER_NODE_DIR; default ~/.config/gleaner-node)
  --name NAME             a name for this node (default: the host name)
  --concurrency N         pages fetched at once, 1-64 (default 2)
  --bandwidth SIZE        download cap per second, e.g. 512KiB (default 1MiB)
  --daily-quota SIZE      data per local day, e.g. 1GiB (default 2GiB)
  --active-hours RANGE    only work between these local times, e.g. 09:00-17:00 (default always)
  --deny LIST             domains never fetched, comma-separated (subdomains too)
  --render                accept jobs that need a browser (uses /usr/bin/chromium)
  --allow-ports LIST      extra ports fetches may use (default: 80 and 443 only)
  --status-port PORT      local status page port on 127.0.0.1 (default 7310)
  --log-level LEVEL       info (default), debug, warn, error, silent
  --config FILE           config file (default $XDG_CONFIG_HOME/gleaner-node/config.json)
  --allow-private         TESTS AND DEMOS ONLY: let fetches reach private and loopback addresses
`;
