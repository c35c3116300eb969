import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { readFileLines } from './line-reader.js';

async function writeLine(out: WriteStream, line: string): Promise<void> {
  if (!out.write(`${line}\n`)) await once(out, 'drain');
}

async function closeStream(out: WriteStream): Promise<void> {
  out.end();
  await finished(out);
}

/**
 * Writes lines to a file in sorted order (by UTF-16 code units, which for the ASCII lines of a CDXJ index is byte
 * order, as `LC_ALL=C sort` gives), in bounded memory: up to `maxLinesInMemory` lines are sorted at a time and
 * spilled to run files in `workDir`, which {@link SortedLinesFile.finish} merges.
 */
export class SortedLinesFile {
  private buffer: string[] = [];
  private readonly runs: string[] = [];
  private lines = 0;

  /** `maxLinesInMemory` defaults to 100,000 (about 30 MB of CDXJ lines). */
  constructor(
    private readonly outputPath: string,
    private readonly workDir: string,
    private readonly maxLinesInMemory = 100_000,
  ) {}

  /** Lines added so far. */
  get count(): number {
    return this.lines;
  }

  /** Adds one line (without its line break). */
  async add(line: string): Promise<void> {
    this.buffer.push(line);
    this.lines++;
    if (this.buffer.length >= this.maxLinesInMemory) await this.spill();
  }

  /** Writes the sorted output file and removes the run files. */
  async finish(): Promise<void> {
    const out = createWriteStream(this.outputPath);
    if (this.runs.length === 0) {
      for (const line of this.buffer.sort(compare)) await writeLine(out, line);
      this.buffer = [];
      await closeStream(out);
      return;
    }
    await this.spill();
    const readers = this.runs.map((run) => readFileLines(run));
    const heads = await Promise.all(readers.map((reader) => reader.next()));
    for (;;) {
      let min = -1;
      heads.forEach((head, i) => {
        if (head.done) return;
        const current = heads[min];
        if (min < 0 || (current && !current.done && compare(head.value, current.value) < 0)) min = i;
      });
      if (min < 0) break;
      const head = heads[min]!;
      if (head.done) break;
      await writeLine(out, head.value);
      heads[min] = await readers[min]!.next();
    }
    await closeStream(out);
    await rm(path.dirname(this.runs[0]!), { recursive: true, force: true });
  }

  private async spill(): Promise<void> {
    if (this.buffer.length === 0) return;
    const runDir = path.join(this.workDir, 'sort-runs');
    await mkdir(runDir, { recursive: true });
    const runPath = path.join(runDir, `run-${this.runs.length}.txt`);
    const out = createWriteStream(runPath);
    for (const line of this.buffer.sort(compare)) await writeLine(out, line);
    await closeStream(out);
    this.runs.push(runPath);
    this.buffer = [];
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
