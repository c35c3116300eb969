import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SortedLinesFile } from './sorted-lines-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gleaner-sort-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('SortedLinesFile', () => {
  it('merges spilled runs into one sorted file and removes the runs', async () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `key${(i * 7919) % 1000} ${i}`);
    const out = path.join(dir, 'sorted.txt');
    const sorter = new SortedLinesFile(out, path.join(dir, 'work'), 64);
    for (const line of lines) await sorter.add(line);
    await sorter.finish();
    const written = (await readFile(out, 'utf8')).trimEnd().split('\n');
    expect(written).toEqual([...lines].sort());
    expect(await readdir(path.join(dir, 'work'))).toEqual([]);
  });

  it('sorts in memory when nothing was spilled', async () => {
    const out = path.join(dir, 'sorted.txt');
    const sorter = new SortedLinesFile(out, dir);
    for (const line of ['b', 'a', 'c']) await sorter.add(line);
    await sorter.finish();
    expect(await readFile(out, 'utf8')).toBe('a\nb\nc\n');
  });
});
