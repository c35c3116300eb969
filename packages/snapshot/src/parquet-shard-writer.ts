import { ParquetWriter, fileWriter, type ColumnSource, type SchemaElement } from 'hyparquet-writer';
import { RECORD_FIELDS } from './record-schema.js';
import type { SnapshotRow } from './snapshot-record.js';
import type { ZstdCompress } from './zstd.js';

/**
 * The Parquet compression codec: ZSTD (level 3), which DuckDB, Arrow, Polars, Spark and the Hub's viewer read, and
 * the Hub's own datasets use. It comes from `loadZstd` (WebAssembly), so it is the same on every Node.
 */
export const PARQUET_CODEC = 'ZSTD';

/**
 * Columns whose values are long and unique in a deduplicated dataset: min/max statistics would cost time and say
 * nothing, and a dictionary would never pay, so they are written PLAIN without trying one.
 */
const LONG_UNIQUE = new Set([
  'text',
  'markdown',
  'metadata',
  'quality',
  'fields',
  'fieldErrors',
  'provenance',
]);

const SCHEMA: SchemaElement[] = [
  { name: 'root', num_children: RECORD_FIELDS.length },
  ...RECORD_FIELDS.map((field): SchemaElement => {
    const repetition_type = field.nullable ? 'OPTIONAL' : 'REQUIRED';
    switch (field.type) {
      case 'string':
        return { name: field.name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type };
      case 'json':
        return { name: field.name, type: 'BYTE_ARRAY', converted_type: 'JSON', repetition_type };
      case 'timestamp':
        return { name: field.name, type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', repetition_type };
      case 'int32':
        return { name: field.name, type: 'INT32', repetition_type };
    }
  }),
];

/** Row-group limits of {@link ParquetShardWriter}. */
export interface RowGroupLimits {
  /** Rows per row group at most; default 10,000. */
  rowGroupRecords?: number;
  /** Approximate uncompressed bytes (text, markdown and JSON fields) per row group at most; default 32 MiB. */
  rowGroupBytes?: number;
}

/**
 * Writes one Parquet shard, one row group at a time: rows are buffered until the group holds `rowGroupRecords`
 * rows or about `rowGroupBytes` bytes, whichever comes first, so memory stays near one row group, and streaming
 * readers (the Hub's viewer, `datasets` streaming, DuckDB over HTTP) fetch groups of a few tens of MiB.
 */
export class ParquetShardWriter {
  private readonly writer: ParquetWriter;
  private readonly maxRecords: number;
  private readonly maxBytes: number;
  private columns: unknown[][] = RECORD_FIELDS.map(() => []);
  private bufferedRows = 0;
  private bufferedBytes = 0;
  private written = 0;

  /** `zstd` is `loadZstd`'s compressor. */
  constructor(path: string, zstd: ZstdCompress, limits: RowGroupLimits = {}) {
    this.maxRecords = limits.rowGroupRecords ?? 10_000;
    this.maxBytes = limits.rowGroupBytes ?? 32 * 1024 * 1024;
    this.writer = new ParquetWriter({
      writer: fileWriter(path),
      schema: SCHEMA,
      codec: PARQUET_CODEC,
      compressors: { ZSTD: zstd },
      createdBy: 'gleaner-snapshot',
    });
  }

  /** Rows written so far (buffered ones included). */
  get records(): number {
    return this.written + this.bufferedRows;
  }

  /** Adds a row; `approxBytes` is its size as JSON, which decides when the row group is full. */
  add(row: SnapshotRow, approxBytes: number): void {
    RECORD_FIELDS.forEach((field, i) => {
      const value = row[field.name];
      this.columns[i]!.push(field.type === 'timestamp' ? new Date(value as string) : value);
    });
    this.bufferedRows++;
    this.bufferedBytes += approxBytes;
    if (this.bufferedRows >= this.maxRecords || this.bufferedBytes >= this.maxBytes) this.flushRowGroup();
  }

  /** Writes the last row group and the footer, and closes the file. */
  close(): void {
    this.flushRowGroup();
    // hyparquet-writer's fileWriter writes synchronously: finish() and write() return nothing to await.
    void this.writer.finish();
  }

  private flushRowGroup(): void {
    if (this.bufferedRows === 0) return;
    const columnData: ColumnSource[] = RECORD_FIELDS.map((field, i) => ({
      name: field.name,
      data: this.columns[i]!,
      statistics: !LONG_UNIQUE.has(field.name),
      ...(LONG_UNIQUE.has(field.name) ? { encoding: 'PLAIN' as const } : {}),
    }));
    void this.writer.write({ columnData, rowGroupSize: this.bufferedRows });
    this.written += this.bufferedRows;
    this.columns = RECORD_FIELDS.map(() => []);
    this.bufferedRows = 0;
    this.bufferedBytes = 0;
  }
}
