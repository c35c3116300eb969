import type { SnapshotStatistics } from './snapshot-stats.js';

/** What the dataset card says beyond the statistics. */
export interface DatasetCardInfo {
  snapshotId: string;
  datasetId: string;
  createdAt: string;
  previousSnapshotId: string | null;
  merkleRoot: string;
  signerKeyId: string;
  /** The card's title; default the dataset id. */
  prettyName?: string;
  /** A Hub license id (`cc-by-4.0`, `odc-by`, …); default `other`. */
  license?: string;
  /** A paragraph on what the dataset holds. */
  description?: string;
  /** Shards (Parquet and JSONL files each). */
  shards: number;
  /** Bytes of the Parquet, JSONL and WARC files. */
  parquetBytes: number;
  jsonlBytes: number;
  warcBytes: number;
}

/** The Hub's `size_categories` bucket for a record count. */
export function sizeCategory(records: number): string {
  const bounds: [number, string][] = [
    [1e3, 'n<1K'],
    [1e4, '1K<n<10K'],
    [1e5, '10K<n<100K'],
    [1e6, '100K<n<1M'],
    [1e7, '1M<n<10M'],
    [1e8, '10M<n<100M'],
    [1e9, '100M<n<1B'],
    [1e10, '1B<n<10B'],
    [1e11, '10B<n<100B'],
    [1e12, '100B<n<1T'],
  ];
  return bounds.find(([bound]) => records < bound)?.[1] ?? 'n>1T';
}

/** The Hub's `language` list: primary subtags (`en` of `en-US`) that look like ISO 639 codes, sorted. */
export function hubLanguages(languages: [string, number][]): string[] {
  const codes = new Set<string>();
  for (const [tag] of languages) {
    const primary = tag.split(/[-_]/)[0]!.toLowerCase();
    if (/^[a-z]{2,3}$/.test(primary)) codes.add(primary);
  }
  return [...codes].sort();
}

const yamlString = (value: string): string => JSON.stringify(value);
const int = (n: number): string => n.toLocaleString('en-US');

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function share(count: number, total: number): string {
  return total === 0 ? '0.0 %' : `${((100 * count) / total).toFixed(1)} %`;
}

function countTable(header: string, rows: [string, number][], total: number): string {
  if (rows.length === 0) return '_none_\n';
  const escape = (cell: string): string => cell.replaceAll('|', '\\|');
  return [
    `| ${header} | records | share |`,
    '| --- | ---: | ---: |',
    ...rows.map(([key, count]) => `| ${escape(key)} | ${int(count)} | ${share(count, total)} |`),
    '',
  ].join('\n');
}

/**
 * The snapshot's README.md: a dataset card with the Hugging Face Hub's YAML front matter (pretty_name, license,
 * language, size_categories, and a `default` config whose `train` split is the Parquet shards), then the snapshot's
 * identity and statistics, and how to verify it.
 */
export function renderDatasetCard(stats: SnapshotStatistics, info: DatasetCardInfo): string {
  const languages = hubLanguages(stats.languages);
  const front = [
    '---',
    `pretty_name: ${yamlString(info.prettyName ?? info.datasetId)}`,
    `license: ${yamlString(info.license ?? 'other')}`,
    ...(languages.length > 0 ? ['language:', ...languages.map((code) => `- ${code}`)] : []),
    'size_categories:',
    `- ${sizeCategory(stats.records)}`,
    'task_categories:',
    '- text-generation',
    'configs:',
    '- config_name: default',
    '  data_files:',
    '  - split: train',
    '    path: data/train-*.parquet',
    '---',
  ];
  const total = stats.records;
  const body = [
    `# ${info.prettyName ?? info.datasetId}`,
    '',
    ...(info.description ? [info.description, ''] : []),
    'Web pages fetched by the nodes of a Gleaner network, cleaned and deduplicated, with the provenance of every',
    'record: which node fetched it, the SHA-256 of the raw response (kept in WARC) and the node’s Ed25519 signature.',
    '',
    '## Snapshot',
    '',
    '| | |',
    '| --- | --- |',
    `| snapshot | \`${info.snapshotId}\` |`,
    `| dataset | \`${info.datasetId}\` |`,
    `| created | ${info.createdAt} |`,
    `| previous snapshot | ${info.previousSnapshotId ? `\`${info.previousSnapshotId}\`` : '–'} |`,
    `| Merkle root (RFC 6962, SHA-256) | \`${info.merkleRoot}\` |`,
    `| manifest signed by | \`${info.signerKeyId}\` (Ed25519) |`,
    '',
    '## Statistics',
    '',
    '| | |',
    '| --- | ---: |',
    `| records | ${int(total)} |`,
    `| text | ${int(stats.textBytes)} bytes |`,
    `| raw responses | ${int(stats.bodyBytes)} bytes |`,
    `| hosts | ${int(stats.hostCount)} |`,
    `| languages | ${int(stats.languages.length)} |`,
    `| fetched from | ${stats.fetchedFrom ?? '–'} |`,
    `| fetched to | ${stats.fetchedTo ?? '–'} |`,
    `| shards | ${int(info.shards)} |`,
    `| Parquet | ${mib(info.parquetBytes)} |`,
    `| JSONL (gzip) | ${mib(info.jsonlBytes)} |`,
    `| WARC (gzip) | ${mib(info.warcBytes)} |`,
    '',
    '### Languages',
    '',
    countTable('language', stats.languages, total),
    `### Hosts (top ${stats.topHosts.length} of ${int(stats.hostCount)})`,
    '',
    countTable('host', stats.topHosts, total),
    '### Quality: words per record',
    '',
    countTable('words', stats.wordCounts, total),
    ...(stats.qualityMeans.length > 0
      ? [
          '| quality signal | mean |',
          '| --- | ---: |',
          ...stats.qualityMeans.map(([name, mean]) => `| ${name} | ${Number(mean.toFixed(4))} |`),
          '',
        ]
      : []),
    '### Provenance: robots.txt',
    '',
    countTable('robots.txt decision', stats.robots, total),
    '### HTTP status',
    '',
    countTable('status', stats.statuses, total),
    '## Files',
    '',
    '- `data/train-*.parquet`: the records (Parquet), and `data/train-*.jsonl.gz`: the same records, one canonical',
    '  JSON object per line (the Merkle leaves are the SHA-256 of these lines).',
    '- `warc/*.warc.gz`: the raw responses (WARC/1.1 request, response and metadata records), `warc/index.cdxj`.',
    '- `nodes.json`: the nodes’ Ed25519 public keys; `changes.json`: what changed since the previous snapshot.',
    '- `manifest.json`: every file’s size and SHA-256, the record schema and the Merkle root; `manifest.sig`: its',
    '  Ed25519 signature.',
    '',
    '## Verify',
    '',
    '`gleaner verify <folder>` checks every file, the manifest signature, the Merkle root and each record’s node',
    'signature, offline. docs/datasets.md in the Gleaner repository shows how to do it with Python’s hashlib alone.',
    '',
  ];
  return `${front.join('\n')}\n\n${body.join('\n')}`;
}
