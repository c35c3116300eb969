import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.js';

/** The counts at the head of a snapshot's changes.json. */
export const SnapshotChangesSchema = z
  .object({
    added: z.number().int().meta({ description: 'Records of pages new to the dataset' }),
    newVersions: z.number().int().meta({ description: 'New versions of pages the previous snapshot held' }),
    unchanged: z.number().int(),
    changed: z.number().int().meta({ description: 'Records in both snapshots that differ (never expected)' }),
    withdrawn: z.number().int().meta({ description: 'Withdrawn records left out' }),
    removed: z
      .number()
      .int()
      .meta({ description: 'Records of the previous snapshot missing without a withdrawal' }),
  })
  .meta({ id: 'SnapshotChanges' });

/** A dataset snapshot: requested, building, then published (immutable) or failed. */
export const SnapshotSchema = z
  .object({
    id: z.string(),
    datasetId: z.string(),
    state: z.enum(['building', 'published', 'failed']),
    trigger: z
      .enum(['manual', 'round', 'schedule'])
      .meta({ description: "An admin's request, the end of a campaign round, or the campaign's schedule" }),
    requestedAt: TimestampSchema,
    publishedAt: TimestampSchema.nullable(),
    records: z.number().int().nullable(),
    bytes: z.number().int().nullable().meta({ description: 'Bytes of all files, once published' }),
    shards: z.number().int().nullable(),
    merkleRoot: z
      .string()
      .nullable()
      .meta({ description: "Hex RFC 6962 root over the records' JSONL lines" }),
    manifestSha256: z.string().nullable().meta({ description: 'SHA-256 of manifest.json' }),
    changes: SnapshotChangesSchema.nullable().meta({ description: 'Changes since `previousId`' }),
    previousId: z.string().nullable(),
    error: z.string().nullable(),
    feedCursor: z.string().meta({
      description:
        'A feed cursor right after this snapshot: reading the feed from it serves exactly what came later ' +
        '(new records, and tombstones of records withdrawn since)',
    }),
  })
  .meta({ id: 'Snapshot' });

/** A dataset snapshot. */
export type Snapshot = z.infer<typeof SnapshotSchema>;

/** One file of a published snapshot. */
export const SnapshotFileSchema = z
  .object({
    path: z.string(),
    bytes: z.number().int(),
    sha256: z.string(),
    raw: z.boolean().meta({
      description:
        'The file holds raw responses (the WARC files and their CDXJ index, under `warc/`): it is served only to ' +
        'keys with the `raw:read` scope',
    }),
  })
  .meta({ id: 'SnapshotFile' });

/** A snapshot with its files (every file of the folder, manifest.json and manifest.sig included, once published). */
export const SnapshotDetailSchema = SnapshotSchema.extend({
  files: z.array(SnapshotFileSchema),
  rawAccess: z.boolean().meta({
    description:
      'Whether the key asking holds `raw:read`, so that it may download the files marked `raw`; without it, ' +
      'a client skips them (the other files verify on their own)',
  }),
}).meta({
  id: 'SnapshotDetail',
});

/** Body of `GET /v1/datasets/{id}/snapshots`, newest first. */
export const SnapshotListSchema = z
  .object({ snapshots: z.array(SnapshotSchema) })
  .meta({ id: 'SnapshotList' });

/** Path of one snapshot: the dataset and the snapshot id, or `latest` for the newest published one. */
export const SnapshotParamsSchema = z.object({
  id: IdSchema.meta({ param: { name: 'id', in: 'path' } }),
  snapshotId: z
    .union([IdSchema, z.literal('latest')])
    .meta({ param: { name: 'snapshotId', in: 'path' }, description: 'A snapshot id, or `latest`' }),
});

/** Path of one file of a snapshot. */
export const SnapshotFileParamsSchema = SnapshotParamsSchema.extend({
  path: z
    .string()
    .min(1)
    .max(300)
    .meta({
      param: { name: 'path', in: 'path' },
      description: 'A path the snapshot lists, such as `manifest.json`',
    }),
});
