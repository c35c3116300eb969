import type { DownloadProgress } from '@gleaner/sdk';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** Bytes in binary units with one decimal (`12.3 MiB`; whole bytes below 1 KiB). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** A duration in seconds as `8 s`, `3 min 05 s` or `2 h 07 min`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/**
 * One progress line of a snapshot download: bytes done of the total and the share, files, the rate of this run
 * (bytes received over the network per second since it started) and the time left at that rate.
 * `12.3 MiB / 45.6 MiB  27%  3/14 files  4.2 MiB/s  ETA 8 s`.
 */
export function pullProgressLine(progress: DownloadProgress, elapsedMs: number): string {
  const share = progress.bytesTotal > 0 ? Math.floor((progress.bytesDone / progress.bytesTotal) * 100) : 100;
  const rate = elapsedMs > 0 ? (progress.bytesFetched / elapsedMs) * 1000 : 0;
  const left = progress.bytesTotal - progress.bytesDone;
  const eta = left <= 0 ? 'ETA 0 s' : rate > 0 ? `ETA ${formatDuration(left / rate)}` : 'ETA --';
  return (
    `${formatBytes(progress.bytesDone)} / ${formatBytes(progress.bytesTotal)}  ${String(share).padStart(3)}%  ` +
    `${progress.filesDone}/${progress.filesTotal} files  ${formatBytes(rate)}/s  ${eta}`
  );
}

/** Options of {@link PullProgress}. */
export interface PullProgressOptions {
  /** Shortest time between two redraws on a terminal, ms; default 200. */
  ttyIntervalMs?: number;
  /** Shortest time between two plain lines elsewhere (a file finishing prints one anyway), ms; default 5,000. */
  plainIntervalMs?: number;
  /** The clock, ms; default `Date.now`. */
  now?: () => number;
}

/**
 * Draws a download's progress on stderr: redrawn in place on a terminal; elsewhere (logs, CI, a pipe) one plain
 * line when a file finishes and at most one every few seconds in between.
 */
export class PullProgress {
  private readonly started: number;
  private lastDraw = -Infinity;
  private lastFiles = -1;
  private drawn = false;
  private readonly now: () => number;

  constructor(
    private readonly out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
    private readonly options: PullProgressOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.started = this.now();
  }

  /** Takes the latest progress; draws it when it is time to. */
  update(progress: DownloadProgress): void {
    const now = this.now();
    const fileFinished = progress.filesDone !== this.lastFiles;
    const interval = this.out.isTTY
      ? (this.options.ttyIntervalMs ?? 200)
      : (this.options.plainIntervalMs ?? 5000);
    if (!fileFinished && now - this.lastDraw < interval) return;
    this.lastDraw = now;
    this.lastFiles = progress.filesDone;
    const line = pullProgressLine(progress, now - this.started);
    if (this.out.isTTY) {
      this.out.write(`\r${line.padEnd(Math.max(line.length, (this.out.columns ?? 100) - 1))}`);
      this.drawn = true;
    } else this.out.write(`${line}\n`);
  }

  /** Ends the line on a terminal. */
  done(): void {
    if (this.drawn) this.out.write('\n');
    this.drawn = false;
  }
}
