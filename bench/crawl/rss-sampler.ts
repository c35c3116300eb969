import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = 100;

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined; // the process ended between listing and reading
  }
}

/** Parent pid and CPU ticks (utime + stime) from /proc/<pid>/stat. */
function statOf(pid: number): { ppid: number; cpuTicks: number } | undefined {
  const stat = readText(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  // The command name may hold spaces and parentheses; the fields after its last ')' are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]) };
}

/** A short name for a process: the app of a `…/apps/<app>/dist/main.js` command line, else its command name. */
function labelOf(pid: number): string {
  const cmdline = readText(`/proc/${pid}/cmdline`)?.split('\0').join(' ') ?? '';
  const app = cmdline.match(/apps\/([\w-]+)\/dist\/main\.js(?: (\w+))?/);
  if (app) return app[1] === 'cli' ? `gleaner ${app[2] ?? ''}`.trim() : app[1]!;
  const script = cmdline.match(/([\w-]+)\.js\b/);
  if (script) return script[1]!;
  return readText(`/proc/${pid}/comm`)?.trim() ?? String(pid);
}

function rssKiB(pid: number): number {
  const match = readText(`/proc/${pid}/status`)?.match(/^VmRSS:\s+(\d+)\s+kB/m);
  return match ? Number(match[1]) : 0;
}

/**
 * Samples, every `intervalMs` (default 200), the resident memory (VmRSS) summed over some root processes and all
 * their descendants, and keeps the peak; also the CPU time those processes used (each pid's last reading).
 */
export class RssSampler {
  private readonly roots = new Set<number>();
  private readonly cpuTicksByPid = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;
  /** Highest summed RSS seen, in KiB. */
  peakKiB = 0;
  /** Processes in the tree at the peak. */
  peakProcesses = 0;
  /** Each process's RSS at the peak, largest first, in KiB. */
  peakBreakdown: { label: string; kib: number }[] = [];
  /** Summed RSS at the last sample, in KiB. */
  lastKiB = 0;

  constructor(private readonly intervalMs = 200) {}

  /** Adds a process (and, from now on, its descendants) to what is measured. */
  add(pid: number): void {
    this.roots.add(pid);
  }

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  /** Takes one last sample and stops. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.sample();
  }

  /** CPU seconds (user + system) used by the measured processes so far. */
  cpuSeconds(): number {
    let ticks = 0;
    for (const t of this.cpuTicksByPid.values()) ticks += t;
    return ticks / CLOCK_TICKS_PER_SECOND;
  }

  private sample(): void {
    const children = new Map<number, number[]>();
    const cpu = new Map<number, number>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const pid = Number(entry);
      const stat = statOf(pid);
      if (!stat) continue;
      cpu.set(pid, stat.cpuTicks);
      const list = children.get(stat.ppid);
      if (list) list.push(pid);
      else children.set(stat.ppid, [pid]);
    }
    const tree: number[] = [];
    const stack = [...this.roots].filter((pid) => cpu.has(pid));
    while (stack.length) {
      const pid = stack.pop()!;
      tree.push(pid);
      stack.push(...(children.get(pid) ?? []));
    }
    let total = 0;
    const each = new Map<number, number>();
    for (const pid of tree) {
      const kib = rssKiB(pid);
      each.set(pid, kib);
      total += kib;
      this.cpuTicksByPid.set(pid, cpu.get(pid)!);
    }
    this.lastKiB = total;
    if (total > this.peakKiB) {
      this.peakKiB = total;
      this.peakProcesses = tree.length;
      // Labels are read only at a new peak: /proc/<pid>/cmdline costs more than the RSS line.
      this.peakBreakdown = [...each]
        .map(([pid, kib]) => ({ label: labelOf(pid), kib }))
        .sort((a, b) => b.kib - a.kib);
    }
  }
}
