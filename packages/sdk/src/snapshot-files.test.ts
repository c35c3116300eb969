import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNdjson } from './feed-reader.js';
import {
  etagSha256,
  fileFormat,
  parseContentRange,
  planFile,
  selectSnapshotFiles,
  snapshotFilePath,
} from './snapshot-files.js';

const FILES = [
  'README.md',
  'changes.json',
  'data/train-00000-of-00002.jsonl.gz',
  'data/train-00000-of-00002.parquet',
  'data/train-00001-of-00002.jsonl.gz',
  'data/train-00001-of-00002.parquet',
  'manifest.json',
  'manifest.sig',
  'nodes.json',
  'warc/index.cdxj',
  'warc/snp_1-00000.warc.gz',
].map((p) => ({ path: p }));

describe('snapshot files', () => {
  it('selects one format and the shared files, or everything', () => {
    const shared = ['README.md', 'changes.json', 'manifest.json', 'manifest.sig', 'nodes.json'];
    expect(selectSnapshotFiles(FILES, 'parquet').map((f) => f.path)).toEqual(
      [...shared, 'data/train-00000-of-00002.parquet', 'data/train-00001-of-00002.parquet'].sort(),
    );
    expect(selectSnapshotFiles(FILES, 'warc').map((f) => f.path)).toEqual(
      [...shared, 'warc/index.cdxj', 'warc/snp_1-00000.warc.gz'].sort(),
    );
    expect(selectSnapshotFiles(FILES)).toHaveLength(FILES.length);
    expect(fileFormat('data/train-00000-of-00002.jsonl.gz')).toBe('jsonl');
    expect(fileFormat('nodes.json')).toBeNull();
  });

  it('keeps file paths inside the folder', () => {
    expect(snapshotFilePath('/out', 'data/a.parquet')).toBe(path.join('/out', 'data', 'a.parquet'));
    for (const bad of ['../x', 'data/../../x', '/etc/passwd', 'data//x', 'a\\b', './x', 'x/', 'a\0b'])
      expect(() => snapshotFilePath('/out', bad), bad).toThrow(/refusing/);
  });

  it('plans a file from what is on disk', () => {
    const file = { path: 'a', bytes: 100, sha256: 'x', raw: false };
    expect(planFile(file, {})).toEqual({ action: 'fetch' });
    expect(planFile(file, { finishedBytes: 100, partialBytes: 10 })).toEqual({ action: 'check' });
    expect(planFile(file, { finishedBytes: 99 })).toEqual({ action: 'fetch' });
    expect(planFile(file, { partialBytes: 40 })).toEqual({ action: 'resume', offset: 40 });
    expect(planFile(file, { partialBytes: 100 })).toEqual({ action: 'resume', offset: 100 });
    expect(planFile(file, { partialBytes: 0 })).toEqual({ action: 'fetch' });
    expect(planFile(file, { partialBytes: 101 })).toEqual({ action: 'fetch' });
    expect(planFile({ ...file, bytes: 0 }, { finishedBytes: 0 })).toEqual({ action: 'check' });
  });

  it('reads Content-Range and ETag headers', () => {
    expect(parseContentRange('bytes 10-99/100')).toEqual({ start: 10, end: 99, total: 100 });
    expect(parseContentRange('bytes 0-0/*')).toEqual({ start: 0, end: 0, total: undefined });
    expect(parseContentRange('bytes 10-5/100')).toBeNull();
    expect(parseContentRange('bytes */100')).toBeNull();
    expect(parseContentRange(null)).toBeNull();
    const hex = 'ab'.repeat(32);
    expect(etagSha256(`"${hex}"`)).toBe(hex);
    expect(etagSha256(`W/"${hex.toUpperCase()}"`)).toBe(hex);
    expect(etagSha256('"abc"')).toBeNull();
    expect(etagSha256(null)).toBeNull();
  });

  it('parses NDJSON with or without a final line break', () => {
    expect(parseNdjson('{"a":1}\n{"a":2}\n')).toEqual([{ a: 1 }, { a: 2 }]);
    expect(parseNdjson('{"a":1}\n\n{"a":2}')).toEqual([{ a: 1 }, { a: 2 }]);
    expect(parseNdjson('')).toEqual([]);
  });
});
