import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { localDay } from './active-hours.js';

interface UsageFile {
  day: string;
  bytes: number;
}

/**
 * Bytes downloaded today against a daily quota, kept in `usage.json` in the node's data folder so a restart does
 * not reset it. The count starts again at local midnight.
 */
export class DailyQuota {
  #day: string;
  #bytes: number;
  #writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string,
    /** Bytes allowed per local day. */
    public limitBytes: number,
    private readonly now: () => Date,
    usage: UsageFile,
  ) {
    this.#day = usage.day;
    this.#bytes = usage.bytes;
  }

  /** Opens (or starts) the usage file in `dataDir`. `now` is the clock; default `new Date()`. */
  static async open(
    dataDir: string,
    limitBytes: number,
    now: () => Date = () => new Date(),
  ): Promise<DailyQuota> {
    const file = path.join(dataDir, 'usage.json');
    let usage: UsageFile = { day: localDay(now()), bytes: 0 };
    try {
      const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<UsageFile>;
      if (typeof parsed.day === 'string' && typeof parsed.bytes === 'number')
        usage = { day: parsed.day, bytes: parsed.bytes };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && !(error instanceof SyntaxError)) throw error;
    }
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    return new DailyQuota(file, limitBytes, now, usage);
  }

  /** Bytes used today. */
  get usedBytes(): number {
    this.#roll();
    return this.#bytes;
  }

  /** Bytes left today (never negative). */
  get remainingBytes(): number {
    return Math.max(0, this.limitBytes - this.usedBytes);
  }

  /** Whether today's quota is used up. */
  get exhausted(): boolean {
    return this.remainingBytes === 0;
  }

  /** Adds `bytes` to today's count and saves it. */
  add(bytes: number): Promise<void> {
    this.#roll();
    this.#bytes += bytes;
    const snapshot: UsageFile = { day: this.#day, bytes: this.#bytes };
    this.#writing = this.#writing
      .catch(() => {})
      .then(async () => {
        const temp = `${this.file}.tmp`;
        await writeFile(temp, JSON.stringify(snapshot), { mode: 0o600 });
        await rename(temp, this.file);
      });
    return this.#writing;
  }

  /** Resolves once every count added so far is saved (or has failed). */
  flush(): Promise<void> {
    return this.#writing.catch(() => {});
  }

  #roll(): void {
    const today = localDay(this.now());
    if (today !== this.#day) {
      this.#day = today;
      this.#bytes = 0;
    }
  }
}
