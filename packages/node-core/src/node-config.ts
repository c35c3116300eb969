import { parseActiveHours } from './active-hours.js';
import { parseByteSize } from './byte-size.js';

/** Everything an owner can configure about a node. */
export interface NodeConfig {
  /** Coordinator base URL. No default. */
  coordinator: string | undefined;
  /** Owner token from the coordinator. No default. */
  token: string | undefined;
  /** Folder for the node's key, usage count and fetch log. */
  dataDir: string;
  /** A readable name for this node. Default: the host name. */
  name: string;
  /** Pages fetched at once, 1-64. Default 2. */
  concurrency: number;
  /** Download cap, bytes per second. Default 1 MiB/s. */
  bandwidth: number;
  /** Data allowed per local day, bytes. Default 2 GiB. */
  dailyQuota: number;
  /** Local window when the node works, `HH:MM-HH:MM`; empty = always. Default always. */
  activeHours: string;
  /** Domains never fetched (subdomains included). Default none. */
  deny: string[];
  /** Whether to take jobs that need a browser. Default false. */
  render: boolean;
  /** Ports fetches may use besides 80 and 443. Default none. */
  allowPorts: number[];
  /** Port of the local status page on 127.0.0.1. Default 7310. */
  statusPort: number;
  /** Log level. Default info. */
  logLevel: string;
}

/** Where a resolved value came from. */
export type ConfigSource = 'flag' | 'env' | 'file' | 'default';

/** A configuration key. */
export type ConfigKey = keyof NodeConfig;

interface KeySpec {
  flag: string;
  env: string;
  parse: (value: unknown) => unknown;
  secret?: boolean;
}

const text = (value: unknown): string => {
  if (typeof value !== 'string' || value.trim() === '') throw new Error('must be a non-empty string');
  return value.trim();
};
const integer =
  (min: number, max: number) =>
  (value: unknown): number => {
    const n = typeof value === 'number' ? value : Number(text(value));
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`must be a whole number from ${min} to ${max}`);
    return n;
  };
const bytes = (value: unknown): number => {
  const n = parseByteSize(typeof value === 'number' ? value : text(value));
  if (n < 1) throw new Error('must be more than 0 bytes');
  return n;
};
const list = (value: unknown): string[] =>
  (Array.isArray(value) ? value.map(String) : String(value).split(','))
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
const bool = (value: unknown): boolean => {
  if (typeof value === 'boolean') return value;
  const s = String(value).toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(s)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(s)) return false;
  throw new Error('must be true or false');
};

/** Each key's flag, environment variable and parser. */
export const CONFIG_KEYS: Readonly<Record<ConfigKey, KeySpec>> = {
  coordinator: {
    flag: 'coordinator',
    env: 'GLEANER_COORDINATOR_URL',
    parse: (v) => new URL(text(v)).toString().replace(/\/$/, ''),
  },
  token: { flag: 'token', env: 'GLEANER_OWNER_TOKEN', parse: text, secret: true },
  dataDir: { flag: 'data-dir', env: 'GLEANER_NODE_DIR', parse: text },
  name: { flag: 'name', env: 'GLEANER_NODE_NAME', parse: text },
  concurrency: { flag: 'concurrency', env: 'GLEANER_NODE_CONCURRENCY', parse: integer(1, 64) },
  bandwidth: { flag: 'bandwidth', env: 'GLEANER_NODE_BANDWIDTH', parse: bytes },
  dailyQuota: { flag: 'daily-quota', env: 'GLEANER_NODE_DAILY_QUOTA', parse: bytes },
  activeHours: {
    flag: 'active-hours',
    env: 'GLEANER_NODE_ACTIVE_HOURS',
    parse: (v) => (parseActiveHours(String(v)) === undefined ? '' : String(v).trim()),
  },
  deny: { flag: 'deny', env: 'GLEANER_NODE_DENY', parse: list },
  render: { flag: 'render', env: 'GLEANER_NODE_RENDER', parse: bool },
  allowPorts: {
    flag: 'allow-ports',
    env: 'GLEANER_NODE_ALLOW_PORTS',
    parse: (v) => list(v).map(integer(1, 65535)),
  },
  statusPort: { flag: 'status-port', env: 'GLEANER_NODE_STATUS_PORT', parse: integer(0, 65535) },
  logLevel: { flag: 'log-level', env: 'GLEANER_LOG_LEVEL', parse: (v) => text(v).toLowerCase() },
};

/** Conservative defaults; `dataDir` and `name` depend on the machine and are passed in. */
export function defaultNodeConfig(machine: { dataDir: string; name: string }): NodeConfig {
  return {
    coordinator: undefined,
    token: undefined,
    dataDir: machine.dataDir,
    name: machine.name,
    concurrency: 2,
    bandwidth: 1024 * 1024,
    dailyQuota: 2 * 1024 ** 3,
    activeHours: '',
    deny: [],
    render: false,
    allowPorts: [],
    statusPort: 7310,
    logLevel: 'info',
  };
}

/** The layers a configuration is resolved from, strongest first. */
export interface ConfigLayers {
  /** Flag values by flag name (`data-dir`, …); absent flags are `undefined`. */
  flags: Record<string, unknown>;
  env: Record<string, string | undefined>;
  /** The config file's object, by key name. */
  file: Record<string, unknown>;
  defaults: NodeConfig;
}

/** A resolved configuration and where each value came from. */
export interface ResolvedConfig {
  config: NodeConfig;
  sources: Record<ConfigKey, ConfigSource>;
}

/** Parses one value for `key`; throws `key: reason`. */
export function parseConfigValue<K extends ConfigKey>(key: K, value: unknown): NodeConfig[K] {
  try {
    return CONFIG_KEYS[key].parse(value) as NodeConfig[K];
  } catch (error) {
    throw new Error(`${key}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Resolves flags > env > file > defaults, reporting every bad value at once. */
export function resolveNodeConfig(layers: ConfigLayers): ResolvedConfig {
  const config = { ...layers.defaults } as Record<ConfigKey, unknown>;
  const sources = {} as Record<ConfigKey, ConfigSource>;
  const problems: string[] = [];
  for (const key of Object.keys(CONFIG_KEYS) as ConfigKey[]) {
    const spec = CONFIG_KEYS[key];
    const candidates: [ConfigSource, unknown, string][] = [
      ['flag', layers.flags[spec.flag], `--${spec.flag}`],
      ['env', layers.env[spec.env], spec.env],
      ['file', layers.file[key], `config file "${key}"`],
    ];
    sources[key] = 'default';
    const found = candidates.find(([, value]) => value !== undefined && value !== '');
    if (!found) continue;
    try {
      config[key] = spec.parse(found[1]);
      sources[key] = found[0];
    } catch (error) {
      problems.push(`${found[2]}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (problems.length > 0) throw new Error(`bad configuration:\n  ${problems.join('\n  ')}`);
  return { config: config as unknown as NodeConfig, sources };
}
