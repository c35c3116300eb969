import { SNAPSHOT_FORMATS, type SnapshotFormat } from '@gleaner/sdk';
import type { PullCommandOptions } from './pull-command.js';
import type { FeedPullOptions } from './pull-feed.js';

/** The flags of `gleaner pull`, as `parseArgs` returns them. */
export interface PullFlags {
  coordinator?: string | undefined;
  key?: string | undefined;
  out?: string | undefined;
  snapshot?: string | undefined;
  format?: string | undefined;
  concurrency?: string | undefined;
  'signer-key'?: string | undefined;
  'no-verify'?: boolean | undefined;
  feed?: boolean | undefined;
  follow?: boolean | undefined;
  'shard-lines'?: string | undefined;
}

/** What `gleaner pull` was asked to do. */
export type PullRequest =
  { mode: 'snapshot'; options: PullCommandOptions } | { mode: 'feed'; options: FeedPullOptions };

function positiveInteger(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${flag} must be a positive whole number`);
  return n;
}

/**
 * Checks `gleaner pull`'s arguments and reports every problem at once in one error: one DATASET, `--coordinator`
 * (an http(s) URL), `--key`, `--out`; `--format` one of parquet, jsonl, warc; `--feed` not mixed with the snapshot
 * flags, `--follow` and `--shard-lines` only with it.
 */
export function parsePullArgs(positionals: string[], flags: PullFlags): PullRequest {
  const problems: string[] = [];
  if (positionals.length !== 1) problems.push('name one DATASET');
  for (const flag of ['coordinator', 'out'] as const)
    if (!flags[flag]) problems.push(`--${flag} is required`);
  if (!flags.key) problems.push('--key (or GLEANER_API_KEY) is required');
  if (flags.coordinator && !/^https?:\/\/[^/]/.test(flags.coordinator))
    problems.push('--coordinator must be an http:// or https:// URL');
  if (flags.format !== undefined && !SNAPSHOT_FORMATS.includes(flags.format as SnapshotFormat))
    problems.push(`--format must be one of ${SNAPSHOT_FORMATS.join(', ')}`);
  const snapshotOnly = ['snapshot', 'format', 'concurrency', 'signer-key', 'no-verify'] as const;
  const feedOnly = ['follow', 'shard-lines'] as const;
  if (flags.feed) {
    for (const flag of snapshotOnly)
      if (flags[flag] !== undefined) problems.push(`--${flag} does not go with --feed`);
  } else for (const flag of feedOnly) if (flags[flag] !== undefined) problems.push(`--${flag} needs --feed`);
  let concurrency: number | undefined;
  let shardLines: number | undefined;
  try {
    concurrency = positiveInteger('concurrency', flags.concurrency);
  } catch (error) {
    problems.push((error as Error).message);
  }
  try {
    shardLines = positiveInteger('shard-lines', flags['shard-lines']);
  } catch (error) {
    problems.push((error as Error).message);
  }
  if (problems.length > 0)
    throw new Error(
      `pull: ${problems.join('; ')}\n  usage: gleaner pull DATASET --coordinator URL --key KEY --out DIR [options] (gleaner help)`,
    );
  const common = {
    datasetId: positionals[0]!,
    coordinator: flags.coordinator!,
    apiKey: flags.key!,
    out: flags.out!,
  };
  if (flags.feed)
    return {
      mode: 'feed',
      options: { ...common, follow: flags.follow ?? false, ...(shardLines ? { shardLines } : {}) },
    };
  return {
    mode: 'snapshot',
    options: {
      ...common,
      snapshot: flags.snapshot ?? 'latest',
      ...(flags.format ? { format: flags.format as SnapshotFormat } : {}),
      ...(concurrency ? { concurrency } : {}),
      ...(flags['signer-key'] ? { signerKeyFile: flags['signer-key'] } : {}),
      skipVerify: flags['no-verify'] ?? false,
    },
  };
}
