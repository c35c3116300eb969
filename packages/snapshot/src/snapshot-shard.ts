import path from 'node:path';
import { JsonlShardWriter } from './jsonl-shard-writer.js';
import { ParquetShardWriter, type RowGroupLimits } from './parquet-shard-writer.js';
import { SnapshotLayout } from './snapshot-layout.js';
import { WarcShardWriter, type WarcCapture } from './warc-shard-writer.js';
import { loadZstd } from './zstd.js';

/**
 * One shard being built: its Parquet and JSONL files under provisional names (the final ones carry the shard
 * count, known only at the end) and its WARC file under its final name.
 */
export class SnapshotShard {
  private constructor(
    readonly index: number,
    readonly parquetPath: string,
    readonly jsonlPath: string,
    readonly warcName: string,
    private readonly parquet: ParquetShardWriter,
    private readonly jsonl: JsonlShardWriter,
    private readonly warc: WarcShardWriter,
  ) {}

  /** Opens shard `index` in the build folder `dir`. */
  static async open(
    dir: string,
    index: number,
    snapshotId: string,
    limits: RowGroupLimits,
  ): Promise<SnapshotShard> {
    const stem = path.join(dir, 'data', `train-${String(index).padStart(5, '0')}`);
    const warcName = SnapshotLayout.warc(snapshotId, index);
    const warc = await WarcShardWriter.open(path.join(dir, warcName), warcName, {
      'gleaner-snapshot': snapshotId,
    });
    return new SnapshotShard(
      index,
      `${stem}.parquet.partial`,
      `${stem}.jsonl.gz.partial`,
      warcName,
      new ParquetShardWriter(`${stem}.parquet.partial`, await loadZstd(), limits),
      new JsonlShardWriter(`${stem}.jsonl.gz.partial`),
      warc,
    );
  }

  /** Records in the shard. */
  get records(): number {
    return this.jsonl.records;
  }

  /** Uncompressed JSONL bytes in the shard. */
  get jsonBytes(): number {
    return this.jsonl.bytes;
  }

  /** Adds a record given its JSONL line and its captures; resolves with its CDXJ line. */
  async add(line: string, capture: WarcCapture): Promise<string> {
    await this.jsonl.add(line);
    this.parquet.add(capture.row, line.length);
    return this.warc.add(capture);
  }

  /** Closes the three files. */
  async close(): Promise<void> {
    this.parquet.close();
    await this.jsonl.close();
    await this.warc.close();
  }
}
