import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CONFIG_KEYS, parseConfigValue, type ConfigKey } from './node-config.js';

/** `$XDG_CONFIG_HOME/gleaner-node/config.json`, else `~/.config/gleaner-node/config.json`. */
export function defaultConfigFile(env: Record<string, string | undefined>, homeDir: string): string {
  const base =
    env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : path.join(homeDir, '.config');
  return path.join(base, 'gleaner-node', 'config.json');
}

/** Reads a config file; a missing file is an empty object. Throws a readable error for bad JSON. */
export async function readConfigFile(file: string): Promise<Record<string, unknown>> {
  let textValue: string;
  try {
    textValue = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  try {
    const parsed = JSON.parse(textValue) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch (error) {
    throw new Error(`config file ${file} is not a JSON object: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Whether `key` names a setting. */
export function isConfigKey(key: string): key is ConfigKey {
  return Object.hasOwn(CONFIG_KEYS, key);
}

/**
 * Validates and writes settings into the config file (mode 0600: it may hold the owner token), keeping its other
 * keys. Returns the values as stored.
 */
export async function updateConfigFile(
  file: string,
  values: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const current = await readConfigFile(file);
  for (const [key, value] of Object.entries(values)) {
    if (!isConfigKey(key))
      throw new Error(`unknown setting "${key}"; settings: ${Object.keys(CONFIG_KEYS).join(', ')}`);
    if (value === undefined || value === null) delete current[key];
    else current[key] = parseConfigValue(key, value);
  }
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.tmp`;
  await writeFile(temp, `${JSON.stringify(current, null, 2)}\n`, { mode: 0o600 });
  await rename(temp, file);
  return current;
}
