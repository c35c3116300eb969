import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGzip, type Gzip } from 'node:zlib';

/** Writes one gzip-compressed JSONL shard, one line per record, honouring back-pressure. */
export class JsonlShardWriter {
  private readonly gzip: Gzip = createGzip();
  private readonly done: Promise<void>;
  private lines = 0;
  private textBytes = 0;

  constructor(path: string) {
    this.done = pipeline(this.gzip, createWriteStream(path));
  }

  /** Lines written so far. */
  get records(): number {
    return this.lines;
  }

  /** Uncompressed bytes written so far. */
  get bytes(): number {
    return this.textBytes;
  }

  /** Appends `line` and a line break. */
  async add(line: string): Promise<void> {
    const chunk = Buffer.from(`${line}\n`, 'utf8');
    this.lines++;
    this.textBytes += chunk.length;
    if (!this.gzip.write(chunk)) await Promise.race([once(this.gzip, 'drain'), this.done]);
  }

  /** Ends the stream and waits until the file is written. */
  async close(): Promise<void> {
    this.gzip.end();
    await this.done;
  }
}
