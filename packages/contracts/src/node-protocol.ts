import { z } from 'zod';

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
  headers: z.record(z.string(), z.string()),
  bodySha256: z.string().regex(/^[0-9a-f]{64}$/),
  bodyBytes: z.number().int().min(0),
  fetchedAt: z.string(),
  timings: z.object({ headersMs: z.number(), totalMs: z.number() }),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  signature: z.string().min(1).max(256),
});
