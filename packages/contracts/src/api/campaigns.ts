import { z } from 'zod';
import { campaignSpecShape, CampaignSpecSchema } from './campaign-spec.js';
import { TimestampSchema } from './common.js';

/** A campaign's lifecycle state. */
export const CampaignStatusSchema = z
  .enum(['draft', 'running', 'paused', 'completed', 'cancelled'])
  .meta({ id: 'CampaignStatus' });

/** Body of `PUT /v1/campaigns/{id}/spec`: a name plus the campaign spec fields. */
export const CampaignBodySchema = z
  .object({ name: z.string().trim().min(1).max(200), ...campaignSpecShape })
  .meta({ id: 'CampaignBody' });

/** Body of `POST /v1/campaigns`: a name, the campaign spec fields, and whether to keep it as a draft. */
export const CreateCampaignBodySchema = CampaignBodySchema.extend({
  draft: z
    .boolean()
    .default(false)
    .meta({ description: 'Create the campaign as a draft: editable, nothing fetched until `POST …/start`' }),
}).meta({ id: 'CreateCampaignBody' });

/** Body of `POST /v1/campaigns` as sent. */
export type CreateCampaignBody = z.input<typeof CreateCampaignBodySchema>;

/** A campaign as the API shows it. */
export const CampaignSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    status: CampaignStatusSchema,
    spec: CampaignSpecSchema,
    datasetId: z.string(),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
    completedAt: TimestampSchema.nullable(),
    round: z
      .number()
      .int()
      .min(0)
      .meta({ description: 'Crawl round: 0 for the first crawl, then one per recrawl' }),
    nextRecrawlAt: TimestampSchema.nullable().meta({
      description: 'When the next recrawl round starts (a completed campaign with a recrawl schedule)',
    }),
  })
  .meta({ id: 'Campaign' });

/** A campaign as the API shows it. */
export type Campaign = z.infer<typeof CampaignSchema>;

/** Body of `GET /v1/campaigns`, newest first. */
export const CampaignListSchema = z
  .object({ campaigns: z.array(CampaignSchema) })
  .meta({ id: 'CampaignList' });

/** Body of `GET /v1/campaigns`. */
export type CampaignList = z.infer<typeof CampaignListSchema>;

const count = z.number().int().min(0);

/** Body of `GET /v1/campaigns/{id}/stats`: URL counts by state, records, duplicates, points and text bytes. */
export const CampaignStatsSchema = z
  .object({
    campaignId: z.string(),
    status: CampaignStatusSchema,
    round: count.meta({ description: 'Crawl round: 0 for the first crawl, then one per recrawl' }),
    nextRecrawlAt: TimestampSchema.nullable(),
    urls: z.object({
      queued: count.meta({
        description:
          'URLs waiting for their fetch or being fetched now (a lease lives in the queue, not here)',
      }),
      leased: count.meta({
        description:
          'URLs an older version marked as being fetched; no longer written (they count as queued)',
      }),
      fetched: count.meta({ description: 'URLs fetched and being processed' }),
      done: count,
      duplicate: count,
      failed: count,
      skipped: count,
      cancelled: count,
    }),
    records: count,
    duplicates: count,
    points: count,
    textBytes: count,
    fetchedBytes: count.meta({
      description: "Bytes of the response bodies nodes returned for the campaign's pages",
    }),
    pagesPerSecond: z.number().min(0).meta({ description: 'URLs finished per second over the last minute' }),
    etaSeconds: z
      .number()
      .min(0)
      .nullable()
      .meta({ description: 'Seconds until the queued URLs are done at the current rate; null when unknown' }),
    warnings: z.array(z.string()).meta({
      description:
        'Why a running campaign with URLs queued is not moving, in words: no node connected, every node paused, ' +
        'or pages that need rendering and no rendering node',
    }),
  })
  .meta({ id: 'CampaignStats' });

/** Body of `GET /v1/campaigns/{id}/stats`. */
export type CampaignStats = z.infer<typeof CampaignStatsSchema>;

/** A URL's state inside a campaign. */
export const UrlStateSchema = z
  .enum(['queued', 'leased', 'fetched', 'done', 'duplicate', 'failed', 'skipped', 'cancelled'])
  .meta({ id: 'UrlState' });

/** Query of `GET /v1/campaigns/{id}/urls`: optional state and host filters; `limit` default 100, max 1000; `after` a URL id. */
export const UrlListQuerySchema = z.object({
  state: UrlStateSchema.optional(),
  host: z
    .string()
    .min(1)
    .max(300)
    .optional()
    .meta({ description: 'Only URLs on this host (with its port, if any)' }),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  after: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .meta({ description: 'Return URLs with an id above this one' }),
});

/** One URL a campaign admitted. */
export const CampaignUrlSchema = z
  .object({
    id: z.number().int(),
    url: z.string(),
    host: z.string(),
    depth: z.number().int(),
    state: UrlStateSchema,
    attempts: z.number().int(),
    errorCode: z.string().nullable(),
    errorMessage: z.string().nullable(),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  })
  .meta({ id: 'CampaignUrl' });

/** One URL a campaign admitted. */
export type CampaignUrl = z.infer<typeof CampaignUrlSchema>;

/** Body of `GET /v1/campaigns/{id}/urls`: a page by id; `next` is the `after` of the next page, null at the end. */
export const CampaignUrlListSchema = z
  .object({ urls: z.array(CampaignUrlSchema), next: z.number().int().nullable() })
  .meta({ id: 'CampaignUrlList' });

/** Body of `GET /v1/campaigns/{id}/urls`. */
export type CampaignUrlList = z.infer<typeof CampaignUrlListSchema>;
