import {
  followFetchLog,
  formatBytes,
  isOutcomeEntry,
  readFetchLog,
  type FetchLogLine,
  type OutcomeLogEntry,
} from '@gleaner/node-core';
import type { CommandContext } from './node-options.js';

const HEADER = ['TIME', 'RESULT', 'BYTES', 'MS', 'CAMPAIGN', 'URL'];

function when(iso: string): string {
  const time = new Date(iso);
  return Number.isNaN(time.getTime()) ? iso : time.toLocaleString('sv-SE');
}

/** An outcome line: `=> record`, its point and the point's state in the bytes column, why after the URL. */
function outcomeRow(entry: OutcomeLogEntry): string[] {
  const result = `=> ${entry.outcome}${entry.errorCode ? ` ${entry.errorCode}` : ''}`;
  const why = entry.reason ? `  (${entry.reason})` : '';
  return [
    when(entry.time),
    result,
    `${entry.points} ${entry.pointsStatus}`,
    '',
    entry.campaignId,
    `${entry.url}${why}`,
  ];
}

function row(entry: FetchLogLine): string[] {
  if (isOutcomeEntry(entry)) return outcomeRow(entry);
  const url =
    entry.finalUrl && entry.finalUrl !== entry.url ? `${entry.url} -> ${entry.finalUrl}` : entry.url;
  return [
    when(entry.time),
    entry.errorCode ?? String(entry.status),
    formatBytes(entry.bytes),
    String(entry.totalMs),
    entry.campaignId,
    url,
  ];
}

// Fixed widths, so that rows printed one by one with --follow line up with the header.
const WIDTHS = [19, 20, 10, 6, 36];

function line(cells: string[]): string {
  return `${cells.map((cell, i) => (i < WIDTHS.length ? cell.padEnd(WIDTHS[i] ?? 0) : cell)).join('  ')}\n`;
}

/**
 * Formats log entries as a table (header first). A fetch's outcome, when the coordinator told it, is a line of its
 * own starting `=>` (record, duplicate, rejected, failed, no-record) with its point and that point's state.
 */
export function formatLog(entries: FetchLogLine[]): string {
  return [HEADER, ...entries.map(row)].map(line).join('');
}

/** `gleaner-node log [--lines N] [--follow]`: the node's own record of every fetch. */
export async function logCommand(ctx: CommandContext): Promise<void> {
  const lines = Number(ctx.values.lines ?? 20);
  if (!Number.isInteger(lines) || lines < 0) throw new Error('--lines must be a whole number');
  const entries = await readFetchLog(ctx.config.dataDir, lines);
  if (entries.length === 0 && ctx.values.follow !== true) {
    process.stdout.write(`No fetches logged yet in ${ctx.config.dataDir}.\n`);
    return;
  }
  process.stdout.write(formatLog(entries));
  if (ctx.values.follow !== true) return;
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  await followFetchLog(
    ctx.config.dataDir,
    (entry) => process.stdout.write(line(row(entry))),
    controller.signal,
  );
}
