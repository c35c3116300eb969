import { WEBHOOK_EVENT_TYPES } from '@gleaner/core';
import { z } from 'zod';
import { TimestampSchema } from './common.js';

/** Longest endpoint URL accepted, in characters. */
export const MAX_WEBHOOK_URL_CHARS = 2048;

/** Most deliveries one page of `GET /v1/webhooks/{id}/deliveries` holds. */
export const MAX_WEBHOOK_DELIVERIES_LIMIT = 200;

/** An event type an endpoint may subscribe to. */
export const WebhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES).meta({ id: 'WebhookEventType' });

/** Why a URL is not a webhook endpoint, or undefined when it is one: absolute http(s), no credentials. */
export function webhookUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must use http or https';
  if (url.username !== '' || url.password !== '') return 'must not carry a user name or password';
  if (url.hash !== '') return 'must not have a fragment';
  return undefined;
}

/** A webhook endpoint's URL. */
export const WebhookUrlSchema = z
  .string()
  .max(MAX_WEBHOOK_URL_CHARS)
  .superRefine((text, ctx) => {
    const problem = webhookUrlProblem(text);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `the webhook URL ${problem}` });
  })
  .meta({
    description: 'Where deliveries are POSTed: an absolute http or https URL',
    example: 'https://lab.example/hooks/gleaner',
  });

/** Body of `POST /v1/webhooks`. */
export const CreateWebhookBodySchema = z
  .object({
    url: WebhookUrlSchema,
    events: z.array(WebhookEventTypeSchema).min(1).max(16),
    description: z.string().max(500).optional(),
  })
  .meta({ id: 'CreateWebhookBody' });

/** Body of `POST /v1/webhooks` as sent. */
export type CreateWebhookBody = z.input<typeof CreateWebhookBodySchema>;

/** A webhook endpoint as lists show it: never its secret. */
export const WebhookEndpointSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(WebhookEventTypeSchema),
    description: z.string().nullable(),
    createdAt: TimestampSchema,
  })
  .meta({ id: 'WebhookEndpoint' });

/** A webhook endpoint as lists show it. */
export type WebhookEndpoint = z.infer<typeof WebhookEndpointSchema>;

/** A new endpoint with its signing secret (shown only in this response). */
export const CreatedWebhookEndpointSchema = WebhookEndpointSchema.extend({
  secret: z.string().meta({
    description: 'The Standard Webhooks signing secret (`whsec_...`): shown once; store it now',
  }),
}).meta({ id: 'CreatedWebhookEndpoint' });

/** A new endpoint with its signing secret. */
export type CreatedWebhookEndpoint = z.infer<typeof CreatedWebhookEndpointSchema>;

/** Body of `GET /v1/webhooks`. */
export const WebhookEndpointListSchema = z
  .object({ webhooks: z.array(WebhookEndpointSchema) })
  .meta({ id: 'WebhookEndpointList' });

/** Body of `GET /v1/webhooks`. */
export type WebhookEndpointList = z.infer<typeof WebhookEndpointListSchema>;

/** A delivery's state. */
export const WebhookDeliveryStateSchema = z
  .enum(['pending', 'delivered', 'failed'])
  .meta({ id: 'WebhookDeliveryState' });

/** One event's delivery to an endpoint, with the outcome of its latest attempt. */
export const WebhookDeliverySchema = z
  .object({
    id: z.string().meta({ description: 'The delivery' }),
    eventId: z.string().meta({ description: 'The event: the `webhook-id` header of every attempt' }),
    eventType: z.string(),
    state: WebhookDeliveryStateSchema,
    attempts: z.number().int(),
    nextAttemptAt: TimestampSchema.nullable().meta({
      description: 'When the next attempt is due, while pending',
    }),
    lastAttemptAt: TimestampSchema.nullable(),
    lastStatus: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'HTTP status of the latest attempt; null if none came' }),
    lastError: z.string().nullable(),
    lastResponseMs: z.number().int().nullable(),
    deliveredAt: TimestampSchema.nullable(),
    createdAt: TimestampSchema,
  })
  .meta({ id: 'WebhookDelivery' });

/** One event's delivery to an endpoint. */
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;

/** Query of `GET /v1/webhooks/{id}/deliveries`: `limit` (default 50) and `before` (the previous page's `next`). */
export const WebhookDeliveriesQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_WEBHOOK_DELIVERIES_LIMIT).default(50),
  before: z
    .string()
    .regex(/^[1-9]\d{0,17}$/, 'before is the `next` of the previous page')
    .optional(),
});

/** Body of `GET /v1/webhooks/{id}/deliveries`: newest first. */
export const WebhookDeliveryPageSchema = z
  .object({
    deliveries: z.array(WebhookDeliverySchema),
    next: z
      .string()
      .nullable()
      .meta({ description: 'Pass as `before` for the next (older) page; null at the end' }),
  })
  .meta({ id: 'WebhookDeliveryPage' });

/** Body of `GET /v1/webhooks/{id}/deliveries`. */
export type WebhookDeliveryPage = z.infer<typeof WebhookDeliveryPageSchema>;

/** Body of `POST /v1/webhooks/{id}/ping`: the one attempt's outcome. */
export const WebhookPingResultSchema = z
  .object({
    eventId: z.string(),
    delivered: z.boolean(),
    status: z.number().int().nullable(),
    error: z.string().nullable(),
    responseMs: z.number().int(),
  })
  .meta({ id: 'WebhookPingResult' });

/** Body of `POST /v1/webhooks/{id}/ping`. */
export type WebhookPingResult = z.infer<typeof WebhookPingResultSchema>;
