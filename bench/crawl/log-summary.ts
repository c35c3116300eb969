import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** One kind of warning or error found in a log: the file, pino level, message and how often. */
export interface LogFinding {
  file: string;
  level: string;
  msg: string;
  count: number;
}

const LEVELS: Record<number, string> = { 40: 'warn', 50: 'error', 60: 'fatal' };

/**
 * Counts the pino warn/error/fatal lines of every `*.log` under `dirs` by file and message, most frequent first,
 * so a run can show where a system struggled.
 */
export async function summarizeLogs(dirs: string[]): Promise<LogFinding[]> {
  const counts = new Map<string, LogFinding>();
  for (const dir of dirs) {
    let names: string[];
    try {
      names = (await readdir(dir)).filter((name) => name.endsWith('.log'));
    } catch {
      continue;
    }
    for (const name of names) {
      const text = await readFile(path.join(dir, name), 'utf8');
      for (const line of text.split('\n')) {
        if (!line.startsWith('{')) continue;
        let entry: { level?: number; msg?: string; err?: { message?: string } };
        try {
          entry = JSON.parse(line) as typeof entry;
        } catch {
          continue;
        }
        const level = LEVELS[entry.level ?? 0];
        if (!level) continue;
        const msg = `${entry.msg ?? ''}${entry.err?.message ? `: ${entry.err.message}` : ''}`.slice(0, 160);
        const key = `${name}\u0000${level}\u0000${msg}`;
        const found = counts.get(key);
        if (found) found.count++;
        else counts.set(key, { file: name, level, msg, count: 1 });
      }
    }
  }
  return [...counts.values()].sort((a, b) => b.count - a.count);
}
