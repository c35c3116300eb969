import { createHash, randomUUID } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { STATUS_CODES } from 'node:http';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { CDXIndexer, WARCRecord, WARCSerializer, WARC_1_1 } from 'warcio';
import type { SnapshotRow } from './snapshot-record.js';
import { formatWarcFields } from './warc-fields.js';

/** Names of the fields of each record's `metadata` record (an `application/warc-fields` body). */
export const WarcMetadataField = {
  recordId: 'Gleaner-Record-Id',
  /** `sha256:` + the hex SHA-256 of the record's JSONL line: binds the capture to the published record. */
  recordDigest: 'Gleaner-Record-Digest',
  nodeId: 'Gleaner-Node-Id',
  jobId: 'Gleaner-Job-Id',
  attempt: 'Gleaner-Attempt',
  /** Repeated once per redirect, in order. */
  redirect: 'Gleaner-Redirect',
  signature: 'Gleaner-Node-Signature',
  robots: 'Gleaner-Robots',
} as const;

/**
 * Response headers left out of the WARC: the payload is the body as the node returned it, already decoded, so its
 * transfer and content encodings no longer apply and its length is set from the bytes.
 */
const DROPPED_HEADERS = new Set(['content-encoding', 'transfer-encoding', 'content-length']);

/** One record's captures, as {@link WarcShardWriter.add} takes them. */
export interface WarcCapture {
  row: SnapshotRow;
  body: Buffer;
  httpHeaders: Record<string, string> | undefined;
  /** Hex SHA-256 of the record's JSONL line. */
  recordDigest: string;
}

/**
 * Writes one WARC/1.1 file (each record its own gzip member, so readers can seek by offset) with warcio: a
 * `warcinfo` record, then per dataset record a `request`, a `response` (with `WARC-Payload-Digest: sha256:…`) and
 * a `metadata` record carrying the node's provenance. Returns each response's CDXJ line, made by warcio's
 * `CDXIndexer` from the record just written and its offset, so the index needs no second pass over the file. The
 * lines name the file by its base name: the index sits beside the WARC files, as pywb's collections expect.
 */
export class WarcShardWriter {
  private readonly indexer = new CDXIndexer({ format: 'cdxj' });
  private offset = 0;

  private constructor(
    private readonly file: FileHandle,
    private readonly filename: string,
  ) {}

  /** Creates the file at `filePath` and writes its `warcinfo` record; `filename` is its path in the snapshot. */
  static async open(
    filePath: string,
    filename: string,
    info: Record<string, string>,
  ): Promise<WarcShardWriter> {
    const writer = new WarcShardWriter(await open(filePath, 'wx'), filename);
    const record = WARCRecord.createWARCInfo(
      { filename: path.posix.basename(filename), warcVersion: WARC_1_1 },
      { software: 'gleaner-snapshot', format: 'WARC File Format 1.1', ...info },
    );
    await writer.append(record);
    return writer;
  }

  /** Appends one record's request, response and metadata records; resolves with the response's CDXJ line. */
  async add(capture: WarcCapture): Promise<string> {
    const { row, body } = capture;
    const url = new URL(row.finalUrl);
    const date = row.fetchedAt;
    const requestId = `<urn:uuid:${randomUUID()}>`;
    const responseId = `<urn:uuid:${randomUUID()}>`;

    const request = WARCRecord.create({
      url: row.finalUrl,
      date,
      type: 'request',
      warcVersion: WARC_1_1,
      statusline: `GET ${url.pathname}${url.search} HTTP/1.1`,
      httpHeaders: { Host: url.host },
      warcHeaders: { 'WARC-Record-ID': requestId, 'WARC-Concurrent-To': responseId },
    });
    await this.append(request);

    const response = WARCRecord.create(
      {
        url: row.finalUrl,
        date,
        type: 'response',
        warcVersion: WARC_1_1,
        statusline: `HTTP/1.1 ${row.status} ${STATUS_CODES[row.status] ?? ''}`.trimEnd(),
        httpHeaders: responseHeaders(capture.httpHeaders, body.length),
        warcHeaders: {
          'WARC-Record-ID': responseId,
          'WARC-Payload-Digest': `sha256:${row.bodySha256}`,
        },
      },
      [body],
    );
    // Both digests are computed here with node:crypto (native) rather than by warcio (WebAssembly), over the same
    // bytes warcio writes: the HTTP header block as it serializes it, then the payload.
    const headerBlock = Buffer.from(`${response.httpHeaders!.toString()}\r\n`, 'utf8');
    const blockDigest = createHash('sha256').update(headerBlock).update(body).digest('hex');
    response.warcHeaders.headers.set('WARC-Block-Digest', `sha256:${blockDigest}`);
    const responseOffset = this.offset;
    const responseLength = await this.append(response);

    const fields: [string, string][] = [
      [WarcMetadataField.recordId, row.id],
      [WarcMetadataField.recordDigest, `sha256:${capture.recordDigest}`],
      [WarcMetadataField.nodeId, row.nodeId],
      [WarcMetadataField.jobId, row.provenance.jobId],
      [WarcMetadataField.attempt, String(row.provenance.attempt)],
      ...row.provenance.redirects.map((hop): [string, string] => [WarcMetadataField.redirect, hop]),
      [WarcMetadataField.signature, row.provenance.signature],
      [WarcMetadataField.robots, row.robots],
    ];
    const metadata = WARCRecord.create(
      {
        url: row.finalUrl,
        date,
        type: 'metadata',
        warcVersion: WARC_1_1,
        warcHeaders: {
          'Content-Type': 'application/warc-fields',
          'WARC-Refers-To': responseId,
          'WARC-Concurrent-To': responseId,
        },
      },
      [Buffer.from(formatWarcFields(fields), 'utf8')],
    );
    await this.append(metadata);

    // The indexer takes the offset from the record when it has one (as a parsed record does).
    response._offset = responseOffset;
    response._length = responseLength;
    const cdx = this.indexer.indexRecordPair(
      response,
      request,
      { offset: responseOffset, recordLength: responseLength },
      path.posix.basename(this.filename),
    );
    if (!cdx) throw new Error(`warcio indexed no line for the response of record ${row.id}`);
    return this.indexer.serializeCDXJ(cdx);
  }

  /** Flushes the file to disk and closes it. */
  async close(): Promise<void> {
    await this.file.sync();
    await this.file.close();
  }

  private async append(record: WARCRecord): Promise<number> {
    // One gzip member per record, compressed in one synchronous call: warcio's own gzip goes through a web
    // CompressionStream, whose hops through the thread pool cost more than the compression.
    const bytes = gzipSync(await WARCSerializer.serialize(record, { gzip: false }));
    for (let done = 0; done < bytes.length;) {
      const { bytesWritten } = await this.file.write(bytes, done, bytes.length - done);
      done += bytesWritten;
    }
    this.offset += bytes.length;
    return bytes.length;
  }
}

function responseHeaders(headers: Record<string, string> | undefined, bodyBytes: number): [string, string][] {
  const kept = Object.entries(headers ?? {}).filter(([name]) => !DROPPED_HEADERS.has(name.toLowerCase()));
  return [...kept, ['Content-Length', String(bodyBytes)]];
}
