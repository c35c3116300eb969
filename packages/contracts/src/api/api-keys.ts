import { z } from 'zod';
import { NameSchema } from './accounts.js';
import { IdSchema, TimestampSchema } from './common.js';

/**
 * Scopes a lab API key may carry: `datasets:read` lists datasets and reads their feeds; `raw:read` reads the raw
 * response bodies behind records.
 */
export const ApiKeyScopeSchema = z.enum(['datasets:read', 'raw:read']).meta({ id: 'ApiKeyScope' });

/** A scope a lab API key may carry. */
export type ApiKeyScope = z.infer<typeof ApiKeyScopeSchema>;

/** The limits of a lab API key; a null (or, on creation, absent) limit does not apply. */
const ApiKeyLimitsShape = {
  datasetIds: z
    .array(IdSchema)
    .min(1)
    .max(1000)
    .nullable()
    .meta({ description: 'The only datasets the key may read; null for every dataset' }),
  expiresAt: TimestampSchema.nullable().meta({ description: 'When the key stops working; null for never' }),
  recordsPerDay: z
    .number()
    .int()
    .min(1)
    .nullable()
    .meta({ description: 'Most feed records served per UTC day (then 429 until midnight UTC)' }),
  bytesPerDay: z.number().int().min(1).nullable().meta({
    description:
      'Most bytes served per UTC day: uncompressed feed lines plus raw bodies (then 429 until midnight UTC)',
  }),
  requestsPerMinute: z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .nullable()
    .meta({ description: 'Most requests per minute, over every coordinator (then 429 with Retry-After)' }),
};

/** Body of `POST /v1/api-keys`; `scopes` default to `['datasets:read']`, and every limit is off unless given. */
export const CreateApiKeyBodySchema = z
  .object({
    name: NameSchema,
    scopes: z.array(ApiKeyScopeSchema).min(1).max(16).default(['datasets:read']),
    datasetIds: ApiKeyLimitsShape.datasetIds.optional(),
    expiresAt: ApiKeyLimitsShape.expiresAt.optional(),
    recordsPerDay: ApiKeyLimitsShape.recordsPerDay.optional(),
    bytesPerDay: ApiKeyLimitsShape.bytesPerDay.optional(),
    requestsPerMinute: ApiKeyLimitsShape.requestsPerMinute.optional(),
  })
  .meta({ id: 'CreateApiKeyBody' });

/** Body of `POST /v1/api-keys` as sent. */
export type CreateApiKeyBody = z.input<typeof CreateApiKeyBodySchema>;

/** A lab API key as lists show it: never the key or its hash. */
export const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().meta({ description: 'First characters of the key, to recognise it' }),
    scopes: z.array(z.string()),
    ...ApiKeyLimitsShape,
    createdAt: TimestampSchema,
    revokedAt: TimestampSchema.nullable(),
    lastUsedAt: TimestampSchema.nullable().meta({ description: 'Last use, written at most once a minute' }),
  })
  .meta({ id: 'ApiKey' });

/** A lab API key as lists show it. */
export type ApiKey = z.infer<typeof ApiKeySchema>;

/** A new lab API key with the key itself (shown only in this response). */
export const CreatedApiKeySchema = ApiKeySchema.omit({ revokedAt: true, lastUsedAt: true })
  .extend({ key: z.string().meta({ description: 'Shown once; store it now' }) })
  .meta({ id: 'CreatedApiKey' });

/** A new lab API key with the key itself. */
export type CreatedApiKey = z.infer<typeof CreatedApiKeySchema>;

/** Body of `GET /v1/api-keys`, newest first. */
export const ApiKeyListSchema = z.object({ apiKeys: z.array(ApiKeySchema) }).meta({ id: 'ApiKeyList' });

/** Body of `GET /v1/api-keys`. */
export type ApiKeyList = z.infer<typeof ApiKeyListSchema>;

/** Most days `GET /v1/api-keys/{id}/usage` reports; usage is kept this long. */
export const MAX_USAGE_DAYS = 90;

/** Query of `GET /v1/api-keys/{id}/usage`: how many UTC days back, today included (default 30). */
export const ApiKeyUsageQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(MAX_USAGE_DAYS).default(30),
});

/** What a key used in one UTC day. */
export const ApiKeyDayUsageSchema = z
  .object({
    day: z.iso.date().meta({ description: 'The UTC day' }),
    requests: z.number().int().meta({ description: 'Requests let through' }),
    records: z.number().int().meta({ description: 'Feed records served' }),
    bytes: z.number().int().meta({ description: 'Bytes served: uncompressed feed lines plus raw bodies' }),
  })
  .meta({ id: 'ApiKeyDayUsage' });

/** Body of `GET /v1/api-keys/{id}/usage`: the key's usage per UTC day, today first. */
export const ApiKeyUsageSchema = z
  .object({ apiKeyId: z.string(), days: z.array(ApiKeyDayUsageSchema) })
  .meta({ id: 'ApiKeyUsage' });

/** Body of `GET /v1/api-keys/{id}/usage`. */
export type ApiKeyUsage = z.infer<typeof ApiKeyUsageSchema>;
