import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.js';

/** Most outcomes one page of `GET /v1/me/nodes/{nodeId}/outcomes` holds. */
export const MAX_OUTCOMES_PAGE = 500;

/** Most URLs one `POST /v1/me/nodes/{nodeId}/outcomes/urls` asks about. */
export const MAX_OUTCOME_URLS = 100;

/** Path of the outcome routes: the node, which must be the caller's. */
export const NodeIdParamSchema = z.object({
  nodeId: IdSchema.meta({ param: { name: 'nodeId', in: 'path' }, example: 'nod_3q2-xYzAbCdEfGhIj' }),
});

/** Query of `GET /v1/me/nodes/{nodeId}/outcomes`. */
export const NodeOutcomesQuerySchema = z.object({
  since: TimestampSchema.optional().meta({
    description: 'Outcomes changed at or after this instant (default: all)',
  }),
  after: z
    .string()
    .max(200)
    .optional()
    .meta({ description: 'The `next` of the previous page: the page starts after it' }),
  limit: z.coerce.number().int().min(1).max(MAX_OUTCOMES_PAGE).default(100),
});

/** Where a fetch's point stands. */
export const OutcomePointsStatusSchema = z.enum(['pending', 'settled', 'voided', 'reversed', 'none']).meta({
  description:
    "The credit's state: pending until it settles into an epoch or is voided (the node's ban); reversed once " +
    'taken back (its record withdrawn after it settled); none when the fetch earned nothing',
});

/** One outcome of a node's fetch: its record, its duplicate, or its record withdrawn. */
export const NodeOutcomeSchema = z
  .object({
    key: z.string().meta({ description: '`record:<id>` or `duplicate:<id>`, the same each time it changes' }),
    changedAt: TimestampSchema.meta({
      description: 'Last change: written, settled, voided, withdrawn, reversed',
    }),
    jobId: z.string().nullable().meta({ description: "The job id of the node's signed result" }),
    campaignId: z.string(),
    url: z.string(),
    finalUrl: z.string(),
    fetchedAt: TimestampSchema,
    outcome: z.enum(['record', 'duplicate', 'rejected']).meta({
      description:
        'record: accepted into the dataset; duplicate: its text was already there; rejected: withdrawn',
    }),
    reason: z
      .string()
      .nullable()
      .meta({ description: "A withdrawal's reason, or what a duplicate duplicates" }),
    recordId: z.string().nullable(),
    points: z.number().int(),
    pointsStatus: OutcomePointsStatusSchema,
  })
  .meta({ id: 'NodeOutcome' });

/** One outcome of `GET /v1/me/nodes/{nodeId}/outcomes`. */
export type NodeOutcome = z.infer<typeof NodeOutcomeSchema>;

/** Body of `GET /v1/me/nodes/{nodeId}/outcomes`. */
export const NodeOutcomesSchema = z
  .object({
    outcomes: z.array(NodeOutcomeSchema).meta({ description: 'Oldest change first' }),
    next: z
      .string()
      .nullable()
      .meta({ description: 'Pass as `after` for the next page; null when this page was not full' }),
  })
  .meta({ id: 'NodeOutcomes' });

/** Body of `GET /v1/me/nodes/{nodeId}/outcomes`. */
export type NodeOutcomes = z.infer<typeof NodeOutcomesSchema>;

/** Body of `POST /v1/me/nodes/{nodeId}/outcomes/urls`: URLs the node fetched that have no outcome of their own. */
export const UrlOutcomesBodySchema = z
  .object({
    urls: z
      .array(z.object({ campaignId: IdSchema, url: z.string().min(1).max(8192) }))
      .min(1)
      .max(MAX_OUTCOME_URLS),
  })
  .meta({ id: 'UrlOutcomesBody' });

/** Body of `POST /v1/me/nodes/{nodeId}/outcomes/urls` as sent. */
export type UrlOutcomesBody = z.input<typeof UrlOutcomesBodySchema>;

/** What became of a campaign URL, as its state says. */
export const UrlOutcomeSchema = z
  .object({
    campaignId: z.string(),
    url: z.string(),
    outcome: z.enum(['waiting', 'failed', 'rejected', 'done']).meta({
      description:
        'waiting: not finished (queued, leased, processing); failed: the fetch or processing failed (errorCode); ' +
        'rejected: the result was refused (a redirect out of scope, a bad result) or the URL was skipped or ' +
        'cancelled; done: finished — a record or duplicate of this node is in its outcomes, otherwise this fetch ' +
        'made none (the page was unchanged, or another fetch made it)',
    }),
    state: z.string(),
    errorCode: z.string().nullable(),
    errorMessage: z.string().nullable(),
    httpStatus: z.number().int().nullable(),
    updatedAt: TimestampSchema,
  })
  .meta({ id: 'UrlOutcome' });

/** One answer of `POST /v1/me/nodes/{nodeId}/outcomes/urls`. */
export type UrlOutcome = z.infer<typeof UrlOutcomeSchema>;

/** Body of `POST /v1/me/nodes/{nodeId}/outcomes/urls`'s answer: the URLs known, in no particular order. */
export const UrlOutcomesSchema = z.object({ urls: z.array(UrlOutcomeSchema) }).meta({ id: 'UrlOutcomes' });

/** Body of `POST /v1/me/nodes/{nodeId}/outcomes/urls`'s answer. */
export type UrlOutcomes = z.infer<typeof UrlOutcomesSchema>;
