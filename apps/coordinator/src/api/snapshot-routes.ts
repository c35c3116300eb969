import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { ForbiddenError, GleanerError, NotFoundError, sha256Hex } from '@gleaner/core';
import {
  IdParamSchema,
  SnapshotDetailSchema,
  SnapshotFileParamsSchema,
  SnapshotListSchema,
  SnapshotParamsSchema,
  SnapshotSchema,
  type Snapshot,
} from '@gleaner/contracts';
import { feedCursorAfter, type SnapshotRow } from '@gleaner/db';
import { SnapshotLayout, type SnapshotManifest } from '@gleaner/snapshot';
import type { Context } from 'hono';
import { z } from 'zod';
import type { ApiDeps } from './api-deps.js';
import { adminAuth, apiKeyAuth, SecuritySchemes, type ApiKeyVariables } from './auth.js';
import { API_KEY_SECURITY, DATASETS_READ_SCOPE } from './dataset-routes.js';
import { RAW_READ_SCOPE } from './dataset-feed-routes.js';
import { errorResponses, jsonContent } from './route-helpers.js';

/** A snapshot's files as the API lists them: path, size and SHA-256, manifest.json and manifest.sig included. */
type SnapshotFiles = Map<string, { bytes: number; sha256: string }>;

/** The snapshot's row as the API serves it. */
function toSnapshot(row: SnapshotRow): Snapshot {
  return {
    id: row.id,
    datasetId: row.datasetId,
    state: row.state,
    trigger: row.trigger as Snapshot['trigger'],
    requestedAt: row.requestedAt.toISOString(),
    publishedAt: row.publishedAt?.toISOString() ?? null,
    records: row.records,
    bytes: row.bytes,
    shards: row.shards,
    merkleRoot: row.merkleRoot,
    manifestSha256: row.manifestSha256,
    changes: (row.changes as Snapshot['changes']) ?? null,
    previousId: row.previousId,
    error: row.error,
    feedCursor: feedCursorAfter(row.horizon),
  };
}

/**
 * Bytes read from a snapshot file at a time. Each chunk crosses a web stream and the HTTP response once, so the
 * cost of serving a file goes with its number of chunks: at the 64 KiB default, a 420 MB snapshot kept the
 * coordinator busy for about 1.1 s of CPU in JavaScript; at 1 MiB, about 0.2 s.
 */
const FILE_CHUNK_BYTES = 1 << 20;

/**
 * Files of the folder that hold raw responses (the WARC files and their CDXJ index): marked `raw` in the listing
 * and served only to keys with the `raw:read` scope.
 */
function holdsRawBodies(file: string): boolean {
  return file.startsWith('warc/');
}

/** One byte range of a `Range` header (`bytes=N-`, `bytes=N-M` or `bytes=-N`); undefined when none was asked. */
function byteRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

/**
 * Registers the snapshot routes: an admin cuts a snapshot of a dataset; labs list its snapshots, read one with its
 * files, and download each file (with byte ranges, so an interrupted download continues).
 */
export function registerSnapshotRoutes(app: OpenAPIHono, deps: ApiDeps): void {
  const lab = {
    tags: ['Snapshots'],
    middleware: apiKeyAuth(deps, DATASETS_READ_SCOPE),
    security: API_KEY_SECURITY,
  };
  const folderOf = (row: SnapshotRow) => path.join(deps.snapshotDir, row.datasetId, row.id);
  const filesCache = new Map<string, SnapshotFiles>();

  /** A published snapshot's files, from its manifest (a published folder never changes, so it is read once). */
  async function filesOf(row: SnapshotRow): Promise<SnapshotFiles> {
    const cached = filesCache.get(row.id);
    if (cached) return cached;
    const folder = folderOf(row);
    const manifestFile = path.join(folder, SnapshotLayout.manifest);
    let bytes: Buffer;
    try {
      bytes = await readFile(manifestFile);
    } catch {
      throw new NotFoundError(`the files of snapshot ${row.id} are not on this coordinator`);
    }
    const manifest = JSON.parse(bytes.toString('utf8')) as SnapshotManifest;
    const files: SnapshotFiles = new Map();
    for (const file of manifest.files) files.set(file.path, { bytes: file.bytes, sha256: file.sha256 });
    files.set(SnapshotLayout.manifest, { bytes: bytes.length, sha256: row.manifestSha256 ?? '' });
    const signature = await readFile(path.join(folder, SnapshotLayout.signature));
    files.set(SnapshotLayout.signature, {
      bytes: signature.length,
      sha256: sha256Hex(signature),
    });
    if (filesCache.size > 1000) filesCache.clear();
    filesCache.set(row.id, files);
    return files;
  }

  /** The snapshot a path names (`latest`: the newest published), of that dataset. */
  async function snapshotOf(datasetId: string, snapshotId: string): Promise<SnapshotRow> {
    const row =
      snapshotId === 'latest'
        ? await deps.snapshots.latestPublished(datasetId)
        : await deps.snapshots.get(snapshotId);
    if (!row || row.datasetId !== datasetId)
      throw new NotFoundError(
        snapshotId === 'latest'
          ? `dataset ${datasetId} has no published snapshot yet`
          : `dataset ${datasetId} has no snapshot ${snapshotId}`,
      );
    return row;
  }

  const cut = createRoute({
    tags: ['Snapshots'],
    middleware: adminAuth(deps.adminToken),
    security: [{ [SecuritySchemes.admin]: [] }],
    method: 'post',
    path: '/v1/datasets/{id}/snapshots',
    summary: 'Cut a snapshot of a dataset as it stands now; the worker builds and publishes it',
    description:
      'The snapshot holds every record committed before this request that is not withdrawn; it is built in the ' +
      'background (poll `GET /v1/datasets/{id}/snapshots/{snapshotId}` until `state` is `published`) and never ' +
      'changes after. Campaigns can also cut snapshots automatically (`snapshots` in the campaign spec).',
    request: { params: IdParamSchema },
    responses: {
      202: jsonContent(SnapshotSchema, 'Requested: the snapshot is building'),
      ...errorResponses(400, 401, 404),
    },
  });
  app.openapi(cut, async (c) => {
    const { id } = c.req.valid('param');
    if (!(await deps.datasets.exists(id))) throw new NotFoundError(`dataset ${id} does not exist`);
    const row = await deps.snapshots.request(id, 'manual');
    // A build whose queueing is lost here is queued again by the worker's periodic check.
    await deps.queues.buildSnapshot(row.id);
    deps.logger.info({ datasetId: id, snapshotId: row.id }, 'snapshot requested');
    return c.json(toSnapshot(row), 202);
  });

  const list = createRoute({
    ...lab,
    method: 'get',
    path: '/v1/datasets/{id}/snapshots',
    summary: "A dataset's snapshots, newest first",
    request: { params: IdParamSchema },
    responses: {
      200: jsonContent(SnapshotListSchema, 'The snapshots, in every state'),
      ...errorResponses(400, 401, 403, 404, 429),
    },
  });
  app.openapi(list, async (c) => {
    const { id } = c.req.valid('param');
    if (!(await deps.datasets.exists(id))) throw new NotFoundError(`dataset ${id} does not exist`);
    return c.json({ snapshots: (await deps.snapshots.list(id)).map(toSnapshot) }, 200);
  });

  const detail = createRoute({
    ...lab,
    method: 'get',
    path: '/v1/datasets/{id}/snapshots/{snapshotId}',
    summary: 'One snapshot (or `latest`, the newest published) with the path, size and SHA-256 of each file',
    description:
      'Each file says whether it holds raw responses (`raw`: the WARC files and their index, which need the ' +
      '`raw:read` scope), and `rawAccess` whether the key asking may download those, so that a client without ' +
      'it can leave them out instead of meeting a 403.',
    request: { params: SnapshotParamsSchema },
    responses: {
      200: jsonContent(SnapshotDetailSchema, 'The snapshot; `files` is empty until it is published'),
      ...errorResponses(400, 401, 403, 404, 429),
    },
  });
  app.openapi(detail, async (c) => {
    const { id, snapshotId } = c.req.valid('param');
    const row = await snapshotOf(id, snapshotId);
    const files =
      row.state === 'published'
        ? [...(await filesOf(row))]
            .map(([file, info]) => ({ path: file, ...info, raw: holdsRawBodies(file) }))
            .sort(byPath)
        : [];
    const rawAccess = c.get('apiKey').scopes.includes(RAW_READ_SCOPE);
    return c.json({ ...toSnapshot(row), files, rawAccess }, 200);
  });

  const file = createRoute({
    ...lab,
    method: 'get',
    path: '/v1/datasets/{id}/snapshots/{snapshotId}/files/{path}',
    summary: 'Download one file of a published snapshot; byte ranges resume an interrupted download',
    description:
      'The path is one the snapshot lists (slashes included, as in `data/train-00000-of-00001.parquet`). ' +
      'Answers `ETag` (the SHA-256), `Accept-Ranges: bytes`, and `206` with `Content-Range` for a `Range: bytes=N-` ' +
      '(or `N-M`, `-N`) request; `416` when the range starts past the end. WARC files hold the raw responses and ' +
      'need the `raw:read` scope as well. Counts against the bytes quota.',
    request: { params: SnapshotFileParamsSchema },
    responses: {
      200: { description: 'The whole file', content: { 'application/octet-stream': { schema: z.string() } } },
      206: {
        description: 'The range asked for',
        content: { 'application/octet-stream': { schema: z.string() } },
      },
      416: { description: 'The range starts past the end of the file' },
      ...errorResponses(400, 401, 403, 404, 429),
    },
  });
  // Registered by hand: the path parameter spans slashes, which the OpenAPI route syntax cannot say.
  app.openAPIRegistry.registerPath(file);
  app.get('/v1/datasets/:id/snapshots/:snapshotId/files/*', lab.middleware, async (c) => {
    const params = SnapshotFileParamsSchema.safeParse({
      id: c.req.param('id'),
      snapshotId: c.req.param('snapshotId'),
      path: decodedPath(c.req.path.split('/files/').slice(1).join('/files/')),
    });
    if (!params.success) throw new GleanerError('BAD_REQUEST', 'the snapshot file path is not valid');
    return serveFile(c, params.data);
  });

  async function serveFile(
    c: Context<{ Variables: ApiKeyVariables }>,
    params: { id: string; snapshotId: string; path: string },
  ): Promise<Response> {
    const row = await snapshotOf(params.id, params.snapshotId);
    if (row.state !== 'published')
      throw new NotFoundError(`snapshot ${row.id} is not published (${row.state})`);
    const info = (await filesOf(row)).get(params.path);
    // Only the listed paths are served: nothing else of the folder (or outside it) can be named.
    if (!info) throw new NotFoundError(`snapshot ${row.id} has no file ${params.path}`);
    const apiKey = c.get('apiKey');
    if (holdsRawBodies(params.path) && !apiKey.scopes.includes(RAW_READ_SCOPE))
      throw new ForbiddenError(
        `the WARC files hold raw responses: this API key lacks the "${RAW_READ_SCOPE}" scope`,
      );
    const full = path.join(folderOf(row), ...params.path.split('/'));
    const size = (await stat(full)).size;
    const range = byteRange(c.req.header('range'), size);
    const common = {
      'Accept-Ranges': 'bytes',
      ETag: `"${info.sha256}"`,
      'Cache-Control': 'private, max-age=31536000, immutable',
      'Content-Type': contentTypeOf(params.path),
    };
    if (range === 'unsatisfiable')
      return new Response(null, { status: 416, headers: { ...common, 'Content-Range': `bytes */${size}` } });
    // An `If-Range` that does not match the file means the client holds another file: send it whole.
    const ifRange = c.req.header('if-range');
    const partial = range && (ifRange === undefined || ifRange === common.ETag) ? range : undefined;
    const start = partial?.start ?? 0;
    const end = partial?.end ?? size - 1;
    const length = size === 0 ? 0 : end - start + 1;
    await deps.limiter.record(apiKey.id, { records: 0, bytes: length });
    const body =
      length === 0
        ? null
        : (Readable.toWeb(
            createReadStream(full, { start, end, highWaterMark: FILE_CHUNK_BYTES }),
          ) as unknown as ReadableStream<Uint8Array>);
    return new Response(body, {
      status: partial ? 206 : 200,
      headers: {
        ...common,
        'Content-Length': String(length),
        ...(partial ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
      },
    });
  }
}

/** A percent-encoded path decoded; undefined when its escapes are malformed (a 400, never a 500). */
function decodedPath(encoded: string): string | undefined {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}

function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

function contentTypeOf(file: string): string {
  if (file.endsWith('.json')) return 'application/json';
  if (file.endsWith('.md')) return 'text/markdown; charset=utf-8';
  if (file.endsWith('.cdxj')) return 'text/plain; charset=utf-8';
  return 'application/octet-stream';
}
