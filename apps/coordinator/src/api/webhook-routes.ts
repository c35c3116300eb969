import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { NotFoundError, WEBHOOK_EVENT_TYPES, type WebhookEventType } from '@gleaner/core';
import {
  CreatedWebhookEndpointSchema,
  CreateWebhookBodySchema,
  IdParamSchema,
  WebhookDeliveriesQuerySchema,
  WebhookDeliveryPageSchema,
  WebhookEndpointListSchema,
  WebhookPingResultSchema,
  type WebhookDelivery,
  type WebhookEndpoint,
} from '@gleaner/contracts';
import type { WebhookDeliveryLogEntry, WebhookEndpoint as WebhookEndpointRow } from '@gleaner/db';
import type { ApiDeps } from './api-deps.js';
import { adminAuth, SecuritySchemes } from './auth.js';
import { errorResponses, jsonBody, jsonContent } from './route-helpers.js';

const KNOWN_EVENTS = new Set<string>(WEBHOOK_EVENT_TYPES);

function toEndpoint(row: WebhookEndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    // Types an older version knew and this one does not are left out rather than failing the response.
    events: row.events.filter((type): type is WebhookEventType => KNOWN_EVENTS.has(type)),
    description: row.description,
    createdAt: row.createdAt.toISOString(),
  };
}

function toDelivery(entry: WebhookDeliveryLogEntry): WebhookDelivery {
  const iso = (date: Date | null) => (date ? date.toISOString() : null);
  return {
    id: String(entry.id),
    eventId: entry.eventId,
    eventType: entry.eventType,
    state: entry.state,
    attempts: entry.attempts,
    nextAttemptAt: entry.state === 'pending' ? entry.nextAttemptAt.toISOString() : null,
    lastAttemptAt: iso(entry.lastAttemptAt),
    lastStatus: entry.lastStatus,
    lastError: entry.lastError,
    lastResponseMs: entry.lastResponseMs,
    deliveredAt: iso(entry.deliveredAt),
    createdAt: entry.createdAt.toISOString(),
  };
}

/** How long a ping keeps its delivery from every worker, ms: far beyond the sender's time limit. */
const PING_CLAIM_MS = 10 * 60_000;

/** Registers the admin routes of webhook endpoints: register, list, delete, the delivery log and a test ping. */
export function registerWebhookRoutes(app: OpenAPIHono, deps: ApiDeps): void {
  const admin = {
    tags: ['Webhooks'],
    middleware: adminAuth(deps.adminToken),
    security: [{ [SecuritySchemes.admin]: [] }],
  };

  const create = createRoute({
    ...admin,
    method: 'post',
    path: '/v1/webhooks',
    summary: 'Register a webhook endpoint (its signing secret is shown once)',
    description:
      'Events: `snapshot.published`, `campaign.completed`, `records.withdrawn` (docs/webhooks.md has their ' +
      'payloads). Deliveries are signed per Standard Webhooks with the returned `whsec_` secret and retried with ' +
      'back-off (5 s, 30 s, 2 min, 10 min, 1 h) until a 2xx answer; the URL must be absolute http or https.',
    request: jsonBody(CreateWebhookBodySchema, 'The URL, the events it receives and a description'),
    responses: {
      201: jsonContent(CreatedWebhookEndpointSchema, 'The endpoint and its secret, shown once'),
      ...errorResponses(400, 401),
    },
  });
  app.openapi(create, async (c) => {
    const { url, events, description } = c.req.valid('json');
    const { endpoint, secret } = await deps.webhooks.createEndpoint({
      url,
      events,
      description: description ?? null,
    });
    deps.logger.info({ webhookId: endpoint.id, events: endpoint.events }, 'webhook endpoint registered');
    return c.json({ ...toEndpoint(endpoint), secret }, 201);
  });

  const list = createRoute({
    ...admin,
    method: 'get',
    path: '/v1/webhooks',
    summary: 'List webhook endpoints, oldest first (never their secrets)',
    responses: {
      200: jsonContent(WebhookEndpointListSchema, 'Every endpoint not deleted'),
      ...errorResponses(401),
    },
  });
  app.openapi(list, async (c) =>
    c.json({ webhooks: (await deps.webhooks.listEndpoints()).map(toEndpoint) }, 200),
  );

  const remove = createRoute({
    ...admin,
    method: 'delete',
    path: '/v1/webhooks/{id}',
    summary: 'Delete a webhook endpoint',
    description: 'It receives nothing more; deliveries still pending fail. Its delivery log stays readable.',
    request: { params: IdParamSchema },
    responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 401, 404) },
  });
  app.openapi(remove, async (c) => {
    const { id } = c.req.valid('param');
    if (!(await deps.webhooks.disableEndpoint(id)))
      throw new NotFoundError(`webhook endpoint ${id} does not exist`);
    deps.logger.info({ webhookId: id }, 'webhook endpoint deleted');
    return c.body(null, 204);
  });

  const deliveries = createRoute({
    ...admin,
    method: 'get',
    path: '/v1/webhooks/{id}/deliveries',
    summary: "An endpoint's delivery log, newest first",
    description:
      'One entry per event sent to the endpoint, with its state (`pending`, `delivered`, `failed`), attempts and ' +
      "the latest attempt's status, error and response time. Pages with `limit` and `before` (the previous page's `next`).",
    request: { params: IdParamSchema, query: WebhookDeliveriesQuerySchema },
    responses: {
      200: jsonContent(WebhookDeliveryPageSchema, 'One page of the log'),
      ...errorResponses(400, 401, 404),
    },
  });
  app.openapi(deliveries, async (c) => {
    const { id } = c.req.valid('param');
    const { limit, before } = c.req.valid('query');
    if (!(await deps.webhooks.getEndpoint(id)))
      throw new NotFoundError(`webhook endpoint ${id} does not exist`);
    const page = await deps.webhooks.deliveries(id, { limit, ...(before ? { before: Number(before) } : {}) });
    return c.json(
      {
        deliveries: page.deliveries.map(toDelivery),
        next: page.nextBefore === null ? null : String(page.nextBefore),
      },
      200,
    );
  });

  const ping = createRoute({
    ...admin,
    method: 'post',
    path: '/v1/webhooks/{id}/ping',
    summary: 'Send a test event to an endpoint now and answer with the outcome',
    description:
      'Sends one signed `webhook.ping` (`data: { endpointId }`), whatever the endpoint subscribed to, and waits ' +
      'for the answer. A ping is tried once, never retried; it appears in the delivery log.',
    request: { params: IdParamSchema },
    responses: {
      200: jsonContent(WebhookPingResultSchema, "The attempt's outcome (`delivered` is true for a 2xx)"),
      ...errorResponses(400, 401, 404),
    },
  });
  app.openapi(ping, async (c) => {
    const { id } = c.req.valid('param');
    const delivery = await deps.webhooks.createPing(id, { leaseMs: PING_CLAIM_MS });
    if (!delivery) throw new NotFoundError(`webhook endpoint ${id} does not exist`);
    const result = await deps.webhookSender.send(delivery.url, delivery.secret, {
      id: delivery.eventId,
      type: delivery.eventType,
      eventAt: delivery.eventAt,
      data: delivery.data,
    });
    await deps.webhooks.recordOutcome(delivery, result, { retry: false });
    deps.logger.info({ webhookId: id, status: result.status, delivered: result.ok }, 'webhook pinged');
    return c.json(
      {
        eventId: delivery.eventId,
        delivered: result.ok,
        status: result.status,
        error: result.error,
        responseMs: Math.round(result.responseMs),
      },
      200,
    );
  });
}
