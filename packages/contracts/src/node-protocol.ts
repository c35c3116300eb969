import { z } from 'zod';
import { ERROR_CODES, NODE_RESULT_CODES } from '@gleaner/core';

/** Most response headers a result may carry, and the longest name and value. */
const MAX_HEADERS = 200;
const MAX_HEADER_NAME_CHARS = 256;
const MAX_HEADER_VALUE_CHARS = 16_384;

/** Every error code, as a zod enum (derived from core's error table). */
export const ErrorCodeSchema = z.enum(ERROR_CODES);

/** The codes a node may report in a result: its fetch failures and its own refusals. */
export const NodeResultCodeSchema = ErrorCodeSchema.refine((code) => NODE_RESULT_CODES.has(code), {
  message: 'not a code a node may report',
});

/** A node's `auth` message, validated before anything else is trusted. */
export const AuthMessageSchema = z.object({
  type: z.literal('auth'),
  protocol: z.number().int(),
  nodeId: z.string().min(1).max(64),
  signature: z.string().min(1).max(256),
  version: z.string().max(64),
  capabilities: z.object({
    concurrency: z.number().int().min(1).max(64),
    render: z.boolean(),
  }),
});

/** Text messages a node may send once authenticated. */
export const NodeControlMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('heartbeat'), at: z.number(), inFlight: z.number().int().min(0) }),
  z.object({ type: z.literal('pause') }),
  z.object({ type: z.literal('resume') }),
]);

/** The JSON head of a binary result frame. */
export const ResultHeaderSchema = z.object({
  type: z.literal('result'),
  jobId: z.string().min(1).max(200),
  attempt: z.number().int().min(1),
  redirects: z.array(z.string().max(8192)).max(20),
  finalUrl: z.string().max(8192),
  status: z.number().int().min(0).max(999),
  headers: z
    .record(z.string().min(1).max(MAX_HEADER_NAME_CHARS), z.string().max(MAX_HEADER_VALUE_CHARS))
    .refine((headers) => Object.keys(headers).length <= MAX_HEADERS, {
      message: `at most ${MAX_HEADERS} headers`,
    }),
  bodySha256: z.string().regex(/^[0-9a-f]{64}$/),
  bodyBytes: z.number().int().min(0),
  fetchedAt: z.iso.datetime({ offset: true }),
  timings: z.object({ headersMs: z.number().min(0), totalMs: z.number().min(0) }),
  error: z.object({ code: NodeResultCodeSchema, message: z.string().max(2000) }).optional(),
  signature: z.string().min(1).max(256),
});
