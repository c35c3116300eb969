/** What one system did on the fixture site, as a row of the results table. */
export interface SystemRun {
  system: string;
  /** Pages finished: fetched and processed, duplicates and failures included. */
  pages: number;
  failures: number;
  /** Items the system stored (records, dataset items); undefined when it stores nothing. */
  stored?: number;
  seconds: number;
  peakRssKiB: number;
  /** Processes measured at the peak. */
  peakProcesses: number;
  cpuSeconds: number;
  /** Each process's RSS at the peak, largest first. */
  peakBreakdown?: { label: string; kib: number }[];
  /** Lines worth reading next to the table (what was stored, why pages failed). */
  notes?: string[];
  /** Why the run has no numbers, when it failed. */
  error?: string;
}

/** Prints a progress line every `everyMs` (default 5 s) while `status()` is polled; returns a stop function. */
export function progressTicker(label: string, status: () => string, everyMs = 5_000): () => void {
  const started = Date.now();
  const timer = setInterval(() => {
    const seconds = ((Date.now() - started) / 1000).toFixed(0).padStart(4);
    process.stdout.write(`  ${label.padEnd(8)} ${seconds} s  ${status()}\n`);
  }, everyMs);
  return () => clearInterval(timer);
}

/** Megabytes from KiB, as the table shows them. */
export function mb(kib: number): string {
  return (kib / 1024).toFixed(0);
}
