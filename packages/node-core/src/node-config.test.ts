import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfigFile, readConfigFile, updateConfigFile } from './config-file.js';
import { parseByteSize } from './byte-size.js';
import { defaultNodeConfig, resolveNodeConfig } from './node-config.js';

const defaults = defaultNodeConfig({ dataDir: '/data', name: 'box' });

describe('node config', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('has conservative defaults', () => {
    expect(defaults).toMatchObject({
      concurrency: 2,
      bandwidth: 1024 ** 2,
      dailyQuota: 2 * 1024 ** 3,
      activeHours: '',
    });
  });

  it('resolves flags > env > file > defaults and says where each value came from', () => {
    const { config, sources } = resolveNodeConfig({
      flags: { concurrency: '3' },
      env: { GLEANER_NODE_CONCURRENCY: '5', GLEANER_NODE_BANDWIDTH: '512KiB' },
      file: { bandwidth: 1000, dailyQuota: '1GiB', deny: ['Example.org'], coordinator: 'http://c.test/' },
      defaults,
    });
    expect(config).toMatchObject({
      concurrency: 3,
      bandwidth: 512 * 1024,
      dailyQuota: 1024 ** 3,
      deny: ['example.org'],
    });
    expect(config.coordinator).toBe('http://c.test');
    expect(sources).toMatchObject({
      concurrency: 'flag',
      bandwidth: 'env',
      dailyQuota: 'file',
      statusPort: 'default',
    });
  });

  it('reports every bad value at once', () => {
    expect(() =>
      resolveNodeConfig({
        flags: { concurrency: '0', 'active-hours': 'noon' },
        env: {},
        file: { bandwidth: 'lots' },
        defaults,
      }),
    ).toThrow(/--concurrency[\s\S]*"bandwidth"[\s\S]*--active-hours/);
  });

  it('parses byte sizes', () => {
    expect(parseByteSize('1MiB')).toBe(1024 ** 2);
    expect(parseByteSize('1.5 GB')).toBe(1.5e9);
    expect(parseByteSize('2k')).toBe(2048);
    expect(() => parseByteSize('1 parsec')).toThrow(/byte size/);
  });

  it('finds the file in the XDG folder and writes validated settings with mode 0600', async () => {
    expect(defaultConfigFile({ XDG_CONFIG_HOME: '/x' }, '/home/a')).toBe('/x/gleaner-node/config.json');
    expect(defaultConfigFile({}, '/home/a')).toBe('/home/a/.config/gleaner-node/config.json');
    dir = await mkdtemp(path.join(tmpdir(), 'config-'));
    const file = path.join(dir, 'sub', 'config.json');
    await updateConfigFile(file, { bandwidth: '2MiB', token: 'gow_secret' });
    await updateConfigFile(file, { concurrency: '4', token: undefined });
    expect(await readConfigFile(file)).toEqual({ bandwidth: 2 * 1024 ** 2, concurrency: 4 });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    await expect(updateConfigFile(file, { colour: 'red' })).rejects.toThrow(/unknown setting/);
    await expect(updateConfigFile(file, { concurrency: 'many' })).rejects.toThrow(/concurrency/);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ bandwidth: 2 * 1024 ** 2, concurrency: 4 });
  });
});
