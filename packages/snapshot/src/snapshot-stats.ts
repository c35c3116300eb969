import type { SnapshotRow } from './snapshot-record.js';

/** Upper bounds (exclusive) of the word-count buckets of the quality distribution; the last bucket is open. */
export const WORD_COUNT_BUCKETS = [50, 200, 1_000, 5_000] as const;

/** Statistics of a snapshot, as the dataset card shows them. */
export interface SnapshotStatistics {
  records: number;
  /** UTF-8 bytes of the records' `text`, summed. */
  textBytes: number;
  /** Bytes of the raw response bodies (the WARC payloads), summed. */
  bodyBytes: number;
  /** Records per language (`null` language counted under `unknown`), most first. */
  languages: [string, number][];
  /** Distinct hosts. */
  hostCount: number;
  /** Records per host, most first, at most `topHosts` of them. */
  topHosts: [string, number][];
  /** Earliest and latest `fetchedAt` (ISO 8601), or null without records. */
  fetchedFrom: string | null;
  fetchedTo: string | null;
  /** Records per word-count bucket (`quality.wordCount`): `<50`, `50–199`, …, `≥5000`, then `unknown`. */
  wordCounts: [string, number][];
  /** Mean of each numeric quality signal over the records that have it, by signal name. */
  qualityMeans: [string, number][];
  /** Records per robots.txt decision, most first. */
  robots: [string, number][];
  /** Records per HTTP status, most first. */
  statuses: [string, number][];
}

/** At most this many quality signals are averaged (the record's own, untrusted object decides their names). */
const MAX_QUALITY_SIGNALS = 32;

function countUp(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function byCount(counts: Map<string, number>): [string, number][] {
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

/**
 * Accumulates {@link SnapshotStatistics} record by record. Memory grows with the distinct hosts, languages,
 * statuses and robots decisions only, never with the records.
 */
export class SnapshotStats {
  private records = 0;
  private textBytes = 0;
  private bodyBytes = 0;
  private readonly languages = new Map<string, number>();
  private readonly hosts = new Map<string, number>();
  private readonly robots = new Map<string, number>();
  private readonly statuses = new Map<string, number>();
  private readonly wordCounts = new Map<string, number>();
  private readonly quality = new Map<string, { sum: number; count: number }>();
  private from: { ms: number; iso: string } | null = null;
  private to: { ms: number; iso: string } | null = null;

  /** Counts one record whose raw body has `bodyBytes` bytes. */
  add(row: SnapshotRow, bodyBytes: number): void {
    this.records++;
    this.textBytes += row.textBytes;
    this.bodyBytes += bodyBytes;
    countUp(this.languages, row.language ?? 'unknown');
    countUp(this.hosts, row.host);
    countUp(this.robots, row.robots);
    countUp(this.statuses, String(row.status));
    const ms = Date.parse(row.fetchedAt);
    if (!this.from || ms < this.from.ms) this.from = { ms, iso: row.fetchedAt };
    if (!this.to || ms > this.to.ms) this.to = { ms, iso: row.fetchedAt };
    const quality =
      row.quality !== null && typeof row.quality === 'object' && !Array.isArray(row.quality)
        ? row.quality
        : {};
    const words = quality.wordCount;
    countUp(this.wordCounts, typeof words === 'number' ? wordBucket(words) : 'unknown');
    for (const [name, value] of Object.entries(quality)) {
      if (typeof value !== 'number' || !Number.isFinite(value)) continue;
      const mean = this.quality.get(name);
      if (mean) {
        mean.sum += value;
        mean.count++;
      } else if (this.quality.size < MAX_QUALITY_SIGNALS) this.quality.set(name, { sum: value, count: 1 });
    }
  }

  /** The statistics so far; `topHosts` (default 20) bounds the host list. */
  result(topHosts = 20): SnapshotStatistics {
    const bucketOrder = [...BUCKET_LABELS, 'unknown'];
    return {
      records: this.records,
      textBytes: this.textBytes,
      bodyBytes: this.bodyBytes,
      languages: byCount(this.languages),
      hostCount: this.hosts.size,
      topHosts: byCount(this.hosts).slice(0, topHosts),
      fetchedFrom: this.from?.iso ?? null,
      fetchedTo: this.to?.iso ?? null,
      wordCounts: bucketOrder
        .filter((label) => this.wordCounts.has(label))
        .map((label) => [label, this.wordCounts.get(label)!]),
      qualityMeans: [...this.quality].map(([name, { sum, count }]) => [name, sum / count]),
      robots: byCount(this.robots),
      statuses: byCount(this.statuses),
    };
  }
}

function bucketLabels(): string[] {
  const labels = [`<${WORD_COUNT_BUCKETS[0]}`];
  for (let i = 1; i < WORD_COUNT_BUCKETS.length; i++)
    labels.push(`${WORD_COUNT_BUCKETS[i - 1]}–${WORD_COUNT_BUCKETS[i]! - 1}`);
  labels.push(`≥${WORD_COUNT_BUCKETS.at(-1)}`);
  return labels;
}

const BUCKET_LABELS = bucketLabels();

function wordBucket(words: number): string {
  const index = WORD_COUNT_BUCKETS.findIndex((bound) => words < bound);
  return BUCKET_LABELS[index < 0 ? BUCKET_LABELS.length - 1 : index]!;
}
