import { ErrorResponseSchema } from '@gleaner/contracts';
import type { ZodType } from 'zod';

/** A JSON response (or request body) entry for a route definition. */
export function jsonContent<T extends ZodType>(schema: T, description: string) {
  return { content: { 'application/json': { schema } }, description };
}

/** A required JSON request body for a route definition. */
export function jsonBody<T extends ZodType>(schema: T, description: string) {
  return { body: { ...jsonContent(schema, description), required: true } };
}

const ERROR_DESCRIPTIONS = {
  400: 'Invalid input',
  401: 'Missing or invalid credentials',
  403: 'Credentials lack the needed scope',
  404: 'Not found',
  409: 'Not allowed in the current state',
  429: 'Rate limit or daily quota reached: retry after the `Retry-After` header, in seconds',
} as const;

/** Error responses a route may return, all with the shared error body. */
export function errorResponses<S extends keyof typeof ERROR_DESCRIPTIONS>(...statuses: S[]) {
  return Object.fromEntries(
    statuses.map((status) => [status, jsonContent(ErrorResponseSchema, ERROR_DESCRIPTIONS[status])]),
  ) as Record<S, ReturnType<typeof jsonContent<typeof ErrorResponseSchema>>>;
}
