import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/main.js');

describe('gleaner extract (the built command)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'extract-cli-'));
    const article = (title: string) =>
      `<html lang="en"><head><title>${title}</title></head><body><nav><a href="/">Home</a></nav><article><h1>${title}</h1>` +
      `<p>${'A paragraph of real prose about rivers and stones, written to be long enough. '.repeat(6)}` +
      `Read on in <a href="/next">Next page</a> for more.</p></article></body></html>`;
    await writeFile(path.join(dir, 'a.html'), article('First page'));
    await writeFile(path.join(dir, 'b.html'), article('Second page'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints one JSON line per file, in input order, and reports a missing file without stopping', () => {
    const run = spawnSync(
      process.execPath,
      [
        cli,
        'extract',
        path.join(dir, 'b.html'),
        path.join(dir, 'missing.html'),
        path.join(dir, 'a.html'),
        '--url',
        'https://example.com/x',
      ],
      { encoding: 'utf8' },
    );
    expect(run.status).toBe(1);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    expect(lines[0]!.title).toBe('Second page');
    expect((lines[1]!.error as { code: string }).code).toBe('NOT_FOUND');
    expect(lines[2]!.title).toBe('First page');
    expect(lines[2]!.text).toMatch(/rivers and stones/);
    expect(lines[2]!.markdown).toMatch(/\[Next page\]\(https:\/\/example\.com\/next\)/);
    expect((lines[2]!.language as { declared?: string }).declared).toBe('en');
    expect(lines[2]!.quality).toHaveProperty('wordCount');
    expect((lines[2]!.outlinks as { url: string }[]).map((o) => o.url)).toContain('https://example.com/next');
  });

  it('prints markdown when asked', () => {
    const run = spawnSync(
      process.execPath,
      [cli, 'extract', path.join(dir, 'a.html'), '--format', 'markdown', '--url', 'https://example.com/a'],
      {
        encoding: 'utf8',
      },
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/\[Next page\]\(/);
    expect(run.stdout).not.toMatch(/^\{/);
  });
});
