import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parsePullArgs } from './pull-args.js';
import { feedShardName, feedShardNumber } from './pull-feed.js';
import { formatBytes, formatDuration, PullProgress, pullProgressLine } from './pull-progress.js';

const progress = (bytesDone: number, filesDone: number, bytesFetched = bytesDone) => ({
  bytesDone,
  bytesTotal: 100 * 1024 * 1024,
  filesDone,
  filesTotal: 10,
  bytesFetched,
  file: 'data/x.parquet',
});

function sink(isTTY: boolean) {
  const out = Object.assign(new PassThrough(), { isTTY, columns: 80 });
  let text = '';
  out.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return { out, text: () => text };
}

describe('pull progress', () => {
  it('formats bytes, durations and the line with its rate and ETA', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GiB');
    expect(formatDuration(8.4)).toBe('8 s');
    expect(formatDuration(185)).toBe('3 min 05 s');
    expect(formatDuration(7620)).toBe('2 h 07 min');
    // 25 MiB of 100 in 5 s, 20 MiB of them fetched in this run: 4 MiB/s, 75 MiB left.
    expect(pullProgressLine(progress(25 * 1024 * 1024, 2, 20 * 1024 * 1024), 5000)).toBe(
      '25.0 MiB / 100.0 MiB   25%  2/10 files  4.0 MiB/s  ETA 19 s',
    );
    expect(pullProgressLine(progress(0, 0), 0)).toContain('ETA --');
    expect(pullProgressLine(progress(100 * 1024 * 1024, 10), 1000)).toContain('100%  10/10 files');
  });

  it('prints plain lines off a terminal: one per finished file, at most one per interval between', () => {
    let now = 0;
    const { out, text } = sink(false);
    const bar = new PullProgress(out, { plainIntervalMs: 5000, now: () => now });
    bar.update(progress(1, 0));
    now = 1000;
    bar.update(progress(2, 0));
    now = 2000;
    bar.update(progress(3, 1));
    now = 8000;
    bar.update(progress(4, 1));
    bar.done();
    const lines = text().split('\n').filter(Boolean);
    expect(lines).toHaveLength(3);
    expect(text()).not.toContain('\r');
  });

  it('redraws in place on a terminal and ends the line when done', () => {
    let now = 0;
    const { out, text } = sink(true);
    const bar = new PullProgress(out, { now: () => now });
    bar.update(progress(1, 0));
    now = 50;
    bar.update(progress(2, 0));
    now = 300;
    bar.update(progress(3, 0));
    bar.done();
    expect(text().match(/\r/g)).toHaveLength(2);
    expect(text().endsWith('\n')).toBe(true);
  });
});

describe('pull arguments', () => {
  const base = { coordinator: 'http://127.0.0.1:7300', key: 'k', out: 'dir' };
  it('builds a snapshot pull or a feed pull', () => {
    expect(parsePullArgs(['dst_1'], { ...base, format: 'jsonl', concurrency: '2' })).toEqual({
      mode: 'snapshot',
      options: {
        datasetId: 'dst_1',
        coordinator: base.coordinator,
        apiKey: 'k',
        out: 'dir',
        snapshot: 'latest',
        format: 'jsonl',
        concurrency: 2,
        skipVerify: false,
      },
    });
    expect(parsePullArgs(['dst_1'], { ...base, feed: true, 'shard-lines': '10' })).toMatchObject({
      mode: 'feed',
      options: { follow: false, shardLines: 10 },
    });
  });

  it('reports every problem at once', () => {
    expect(() => parsePullArgs([], { format: 'csv', concurrency: '0', follow: true })).toThrow(
      /name one DATASET; --coordinator is required; --out is required; --key \(or GLEANER_API_KEY\) is required; --format must be one of parquet, jsonl, warc; --follow needs --feed; --concurrency must be a positive whole number/,
    );
    expect(() => parsePullArgs(['d'], { ...base, feed: true, snapshot: 'latest' })).toThrow(
      /--snapshot does not go with --feed/,
    );
    expect(() => parsePullArgs(['d'], { ...base, coordinator: 'ftp://x' })).toThrow(/http/);
  });

  it('names feed shards so they sort in order', () => {
    expect(feedShardName(7)).toBe('feed-00007.jsonl.gz');
    expect(feedShardNumber('feed-00007.jsonl.gz')).toBe(7);
    expect(feedShardNumber('feed-00007.jsonl.gz.partial')).toBeNull();
    expect(feedShardNumber('feed-state.json')).toBeNull();
  });
});
