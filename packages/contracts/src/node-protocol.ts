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

/** What a node can do, declared at authentication. */
export const NodeCapabilitiesSchema = z.object({
  /** Jobs the node runs at once; the gateway never leases more. */
  concurrency: z.number().int().min(1).max(64),
  /** Whether the node can render pages with a browser. */
  render: z.boolean(),
});

/** A node's `auth` message, validated before anything else is trusted. */
export const AuthMessageSchema = z.object({
  type: z.literal('auth'),
  protocol: z.number().int(),
  nodeId: z.string().min(1).max(64),
  signature: z.string().min(1).max(256),
  version: z.string().max(64),
  capabilities: NodeCapabilitiesSchema,
});

/** Text messages a node may send once authenticated. */
export const NodeControlMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('heartbeat'), at: z.number(), inFlight: z.number().int().min(0) }),
  z.object({ type: z.literal('pause') }),
  z.object({ type: z.literal('resume') }),
]);

/** Every text message a node sends: `auth` first, then control messages (results travel as binary frames). */
export const NodeMessageSchema = z.union([AuthMessageSchema, NodeControlMessageSchema]);

/** Limits the coordinator asks for; the node applies the stricter of these and its owner's own. */
export const FetchLimitsSchema = z.object({
  /** Largest body the node reads, bytes. */
  maxBodyBytes: z.number().int().min(0),
  /** Time limit of the whole fetch, ms. */
  timeoutMs: z.number().int().min(1),
  /** Redirects the node follows. */
  maxRedirects: z.number().int().min(0).max(20),
  /** Media types (prefixes) the campaign accepts; the node keeps only those its owner's settings allow too. */
  allowedContentTypes: z.array(z.string().max(256)).max(100).optional(),
});

/** One fetch job as sent to a node. */
export const FetchJobSpecSchema = z.object({
  jobId: z.string().min(1).max(200),
  /** Which lease of this job this is (1 for the first); the result names it, and a stale one is refused. */
  attempt: z.number().int().min(1),
  campaignId: z.string().min(1).max(200),
  url: z.string().min(1).max(8192),
  render: z.boolean(),
  limits: FetchLimitsSchema,
  /** Validators of the copy already recorded (a recrawl): sent as `If-None-Match` / `If-Modified-Since`. */
  conditional: z
    .object({ etag: z.string().max(8192).optional(), lastModified: z.string().max(256).optional() })
    .optional(),
});

/**
 * Every text message the gateway sends. The node parses each with this schema and ignores (and reports) one that
 * does not fit; fields it does not know are dropped, so a newer gateway may add some.
 */
export const ServerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), protocol: z.number().int(), nonce: z.string().min(1).max(256) }),
  z.object({
    type: z.literal('ready'),
    nodeId: z.string().min(1).max(64),
    heartbeatMs: z.number().int().min(1),
  }),
  z.object({ type: z.literal('job'), job: FetchJobSpecSchema }),
  z.object({ type: z.literal('heartbeat'), at: z.number() }),
  z.object({ type: z.literal('drain'), reason: z.string().max(1000) }),
]);

/** Timings of one fetch, in milliseconds from its start. */
export const FetchTimingsSchema = z.object({ headersMs: z.number().min(0), totalMs: z.number().min(0) });

/** The JSON head of a binary result frame (the body bytes follow it). */
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
  timings: FetchTimingsSchema,
  error: z.object({ code: NodeResultCodeSchema, message: z.string().max(2000) }).optional(),
  signature: z.string().min(1).max(256),
});

/** What a node can do, declared at authentication. */
export type NodeCapabilities = z.infer<typeof NodeCapabilitiesSchema>;
/** Limits the coordinator asks for (see {@link FetchLimitsSchema}). */
export type FetchLimits = z.infer<typeof FetchLimitsSchema>;
/** One fetch job as sent to a node. */
export type FetchJobSpec = z.infer<typeof FetchJobSpecSchema>;
/** Timings of one fetch, ms from its start. */
export type FetchTimings = z.infer<typeof FetchTimingsSchema>;
/** The JSON head of a result frame. */
export type ResultHeader = z.infer<typeof ResultHeaderSchema>;
/** Messages the gateway sends. */
export type ServerMessage = z.infer<typeof ServerMessageSchema>;
/** Text messages a node sends. */
export type NodeMessage = z.infer<typeof NodeMessageSchema>;
