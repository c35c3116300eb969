import { appendFile, mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';

/** One line of the fetch log: a fetch the node made (or a job it handed back), as its owner sees it. */
export interface FetchLogEntry {
  /** ISO time the fetch finished. */
  time: string;
  url: string;
  finalUrl: string;
  campaignId: string;
  jobId: string;
  /** HTTP status; 0 when there was no response. */
  status: number;
  /** Body bytes downloaded. */
  bytes: number;
  errorCode?: string;
  totalMs: number;
}

/** What became of a fetch, as the coordinator told the node (see `OutcomeWatcher`). */
export type OutcomeKind = 'record' | 'duplicate' | 'rejected' | 'failed' | 'no-record';

/** Where a fetch's point stands: its credit's state, `reversed` once taken back, `none` when it earned none. */
export type PointsState = 'pending' | 'settled' | 'voided' | 'reversed' | 'none';

/**
 * One line of the fetch log that tells what became of an earlier fetch (same `jobId`): its record, duplicate,
 * withdrawal or failure, and its point. A fetch gets one such line each time its outcome or its point changes.
 */
export interface OutcomeLogEntry {
  kind: 'outcome';
  /** ISO time of the change, as the coordinator wrote it. */
  time: string;
  /** The fetch this is about; null for records from before job ids were kept. */
  jobId: string | null;
  campaignId: string;
  url: string;
  outcome: OutcomeKind;
  /** Why: a withdrawal's reason, what a duplicate duplicates, a failure's message. */
  reason?: string;
  /** A failure's or refusal's code (`HTTP_ERROR`, `REDIRECT_OUT_OF_SCOPE`, …). */
  errorCode?: string;
  httpStatus?: number;
  recordId?: string;
  points: number;
  pointsStatus: PointsState;
}

/** A line of the fetch log: a fetch, or the outcome of one. */
export type FetchLogLine = FetchLogEntry | OutcomeLogEntry;

/** Whether a log line tells an outcome (not a fetch). */
export function isOutcomeEntry(line: FetchLogLine): line is OutcomeLogEntry {
  return (line as Partial<OutcomeLogEntry>).kind === 'outcome';
}

/** The fetch lines of a log, outcome lines left out. */
export function fetchesOf(lines: readonly FetchLogLine[]): FetchLogEntry[] {
  return lines.filter((line): line is FetchLogEntry => !isOutcomeEntry(line));
}

/** Options of a {@link FetchLog}. */
export interface FetchLogOptions {
  /** Folder of the log files (the node's data folder). */
  dir: string;
  /** Size at which the current file is rotated, bytes. Default 1 MiB. */
  maxFileBytes?: number;
  /** Files kept, the current one included. Default 5. */
  maxFiles?: number;
}

const BASE = 'fetch-log';

/** Path of log file `index` (0 = current, 1 = the newest rotated one, …). */
export function fetchLogFile(dir: string, index: number): string {
  return path.join(dir, index === 0 ? `${BASE}.jsonl` : `${BASE}.${index}.jsonl`);
}

/**
 * The local, bounded log of every fetch and of what became of it: JSON lines in the data folder, rotated at `maxFileBytes` and keeping
 * `maxFiles` files, so it never grows past about `maxFileBytes × maxFiles`.
 */
export class FetchLog {
  readonly #dir: string;
  readonly #maxFileBytes: number;
  readonly #maxFiles: number;
  #size: number | undefined;
  #queue: Promise<void> = Promise.resolve();

  constructor(options: FetchLogOptions) {
    this.#dir = options.dir;
    this.#maxFileBytes = options.maxFileBytes ?? 1024 * 1024;
    this.#maxFiles = Math.max(1, options.maxFiles ?? 5);
  }

  /** Appends one entry (appends are serialized; a failed write does not block later ones). */
  append(entry: FetchLogLine): Promise<void> {
    const line = `${JSON.stringify(entry)}\n`;
    const write = this.#queue.catch(() => {}).then(() => this.#write(line));
    this.#queue = write;
    return write;
  }

  /** Resolves once every append made so far is written (or has failed). */
  flush(): Promise<void> {
    return this.#queue.catch(() => {});
  }

  async #write(line: string): Promise<void> {
    if (this.#size === undefined) {
      await mkdir(this.#dir, { recursive: true, mode: 0o700 });
      this.#size = await stat(fetchLogFile(this.#dir, 0)).then(
        (s) => s.size,
        () => 0,
      );
    }
    const bytes = Buffer.byteLength(line);
    if (this.#size > 0 && this.#size + bytes > this.#maxFileBytes) await this.#rotate();
    await appendFile(fetchLogFile(this.#dir, 0), line, { mode: 0o600 });
    this.#size += bytes;
  }

  async #rotate(): Promise<void> {
    for (let i = this.#maxFiles - 1; i >= 1; i--) {
      await rename(fetchLogFile(this.#dir, i - 1), fetchLogFile(this.#dir, i)).catch(
        (error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        },
      );
    }
    this.#size = 0;
  }
}

function parseLines(text: string): FetchLogLine[] {
  const out: FetchLogLine[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as FetchLogLine);
    } catch {
      // A line cut short by a crash is skipped.
    }
  }
  return out;
}

/** The last `lines` entries of the log in `dir` (fetches and outcomes), oldest first (reads rotated files as needed). */
export async function readFetchLog(dir: string, lines: number, maxFiles = 5): Promise<FetchLogLine[]> {
  let out: FetchLogLine[] = [];
  for (let i = 0; i < maxFiles && out.length < lines; i++) {
    const text = await readFile(fetchLogFile(dir, i), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    out = [...parseLines(text), ...out];
  }
  return out.slice(Math.max(0, out.length - lines));
}

/** Reads `file` from `offset` if it is still the file with inode `ino`; undefined if it is gone or another file. */
async function readFrom(file: string, ino: number, offset: number): Promise<Buffer | undefined> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (handle === undefined) return undefined;
  try {
    const info = await handle.stat();
    if (info.ino !== ino) return undefined;
    const length = Math.max(0, info.size - offset);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, offset);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Calls `onEntry` for every entry appended to the log from now on, polling every `intervalMs` (default 500),
 * until `signal` aborts. Survives rotation without losing lines: the file is followed by its inode, so when it has
 * been rotated away its last lines are read from `fetch-log.1.jsonl` before the new file is read from its start.
 */
export async function followFetchLog(
  dir: string,
  onEntry: (entry: FetchLogLine) => void,
  signal: AbortSignal,
  intervalMs = 500,
): Promise<void> {
  const current = fetchLogFile(dir, 0);
  let followed = await stat(current).then(
    (s) => ({ ino: s.ino, offset: s.size }),
    () => undefined,
  );
  const emit = (fresh: Buffer): number => {
    const end = fresh.lastIndexOf(0x0a) + 1;
    for (const entry of parseLines(fresh.subarray(0, end).toString('utf8'))) onEntry(entry);
    return end;
  };
  while (!signal.aborted) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    const now = await stat(current).catch(() => undefined);
    if (now === undefined) continue;
    if (followed !== undefined && followed.ino !== now.ino) {
      // Rotated: finish the file we were reading (now fetch-log.1.jsonl) before moving to the new one.
      const rest = await readFrom(fetchLogFile(dir, 1), followed.ino, followed.offset);
      if (rest !== undefined) emit(rest);
      followed = undefined;
    }
    followed ??= { ino: now.ino, offset: 0 };
    const fresh = await readFrom(current, followed.ino, followed.offset);
    if (fresh !== undefined) followed.offset += emit(fresh);
  }
}
