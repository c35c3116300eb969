import {
  CONFIG_KEYS,
  formatBytes,
  isConfigKey,
  updateConfigFile,
  type ConfigKey,
  type NodeConfig,
} from '@gleaner/node-core';
import { TOKEN_PLACES, type CommandContext } from './node-options.js';
import { readSecretFromStdin } from './stdin-secret.js';
import { formatTable } from './text-table.js';

function show(key: ConfigKey, config: NodeConfig): string {
  const value = config[key];
  if (value === undefined) return '(not set)';
  if (CONFIG_KEYS[key].secret === true) return `${String(value).slice(0, 4)}…`;
  if (key === 'bandwidth') return `${formatBytes(config.bandwidth)}/s`;
  if (key === 'dailyQuota') return formatBytes(config.dailyQuota);
  if (key === 'activeHours') return config.activeHours || 'always';
  if (Array.isArray(value)) return value.length > 0 ? value.join(',') : '(none)';
  return String(value);
}

/** The resolved configuration as a table: key, value, where it came from. Secrets are shortened. */
export function formatConfig(ctx: Pick<CommandContext, 'config' | 'sources' | 'configFile'>): string {
  const rows = (Object.keys(CONFIG_KEYS) as ConfigKey[]).map((key) => [
    key,
    show(key, ctx.config),
    ctx.sources[key] === 'flag'
      ? `flag --${CONFIG_KEYS[key].flag}`
      : ctx.sources[key] === 'env'
        ? `env ${CONFIG_KEYS[key].env}`
        : ctx.sources[key],
  ]);
  return `Config file: ${ctx.configFile}\n\n${formatTable(['KEY', 'VALUE', 'FROM'], rows)}`;
}

/** `gleaner-node config [set KEY VALUE | unset KEY]`; `config set token -` reads the token from standard input. */
export async function configCommand(ctx: CommandContext): Promise<void> {
  const [action, key, ...rest] = ctx.positionals;
  if (action === undefined) {
    process.stdout.write(formatConfig(ctx));
    return;
  }
  if ((action !== 'set' && action !== 'unset') || key === undefined) {
    throw new Error('usage: gleaner-node config [set KEY VALUE | unset KEY]');
  }
  if (!isConfigKey(key))
    throw new Error(`unknown setting "${key}"; settings: ${Object.keys(CONFIG_KEYS).join(', ')}`);
  let value = action === 'set' ? rest.join(' ') : undefined;
  if (action === 'set' && CONFIG_KEYS[key].secret === true) {
    // A secret never comes from the command line, which every local user can read.
    if (value !== '' && value !== '-')
      throw new Error(`${key} is not taken from the command line: ${TOKEN_PLACES}`);
    value = await readSecretFromStdin(`${key}: `);
  }
  if (action === 'set' && !value) throw new Error(`usage: gleaner-node config set ${key} VALUE`);
  await updateConfigFile(ctx.configFile, { [key]: value });
  process.stdout.write(`${action === 'set' ? 'Set' : 'Removed'} ${key} in ${ctx.configFile}\n`);
  process.stdout.write('A running node picks it up when restarted (or change it on the status page).\n');
}
