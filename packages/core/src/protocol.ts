import type { ErrorBody } from './errors.js';

/**
 * Node protocol, version 2 (version 1 signed results without their lease attempt and redirect chain). Text frames carry JSON messages; a result travels as one binary frame:
 * a 4-byte big-endian header length, the JSON `ResultHeader`, then the raw body bytes.
 */
export const PROTOCOL_VERSION = 2;

/** Close codes the gateway uses, with a readable reason alongside. */
export const CloseCodes = {
  /** Normal close (drain finished, node shutting down). */
  normal: 1000,
  /** The coordinator is going away. */
  goingAway: 1001,
  /** Unknown protocol version. */
  unsupportedVersion: 4000,
  /** Authentication failed (unknown node, bad signature). */
  authFailed: 4001,
  /** A malformed or unexpected message. */
  protocolError: 4002,
  /** The node missed its heartbeats. */
  heartbeatTimeout: 4003,
  /** A newer session of the same node id took over; the node must not reconnect on its own. */
  replaced: 4004,
  /** The node's owner or network already holds as many sessions as the gateway allows. */
  tooManySessions: 4005,
  /** The node or its owner is banned. */
  banned: 4006,
} as const;

/** What a node can do, declared at authentication. */
export interface NodeCapabilities {
  /** Jobs the node runs at once; the gateway never leases more. */
  concurrency: number;
  /** Whether the node can render pages with a browser. */
  render: boolean;
}

/** Limits the coordinator asks for; the node applies the stricter of these and its owner's own. */
export interface FetchLimits {
  maxBodyBytes: number;
  timeoutMs: number;
  maxRedirects: number;
  /** Media types (prefixes) the campaign accepts; the node keeps only those its owner's settings allow too. */
  allowedContentTypes?: string[];
}

/** One fetch job as sent to a node. */
export interface FetchJobSpec {
  jobId: string;
  /** Which lease of this job this is (1 for the first); the result names it, and a stale one is refused. */
  attempt: number;
  campaignId: string;
  url: string;
  render: boolean;
  limits: FetchLimits;
  /** Validators of the copy already recorded (a recrawl): sent as `If-None-Match` / `If-Modified-Since`. */
  conditional?: { etag?: string; lastModified?: string };
}

/** Timings of one fetch, in milliseconds from its start. */
export interface FetchTimings {
  headersMs: number;
  totalMs: number;
}

/** The JSON head of a result frame (the body bytes follow it). */
export interface ResultHeader {
  type: 'result';
  jobId: string;
  /** The job's `attempt`, echoed. */
  attempt: number;
  /** URLs that answered with a redirect, in order, from the job's URL; the last one led to `finalUrl`. */
  redirects: string[];
  /** Final URL after redirects (the requested URL when the fetch failed). */
  finalUrl: string;
  /** HTTP status; 0 when the fetch failed before a response. */
  status: number;
  /** Response headers, names lower-cased. */
  headers: Record<string, string>;
  /** Hex SHA-256 of the body bytes that follow. */
  bodySha256: string;
  bodyBytes: number;
  fetchedAt: string;
  timings: FetchTimings;
  /** Set when the fetch failed; the body is then empty. */
  error?: ErrorBody;
  /** Ed25519 signature (base64) over `resultMessage(...)`. */
  signature: string;
}

/** Messages the gateway sends. */
export type ServerMessage =
  | { type: 'hello'; protocol: number; nonce: string }
  | { type: 'ready'; nodeId: string; heartbeatMs: number }
  | { type: 'job'; job: FetchJobSpec }
  | { type: 'heartbeat'; at: number }
  | { type: 'drain'; reason: string }
  | { type: 'error'; code: string; message: string };

/** Messages a node sends as text frames (results go as binary frames). */
export type NodeMessage =
  | {
      type: 'auth';
      protocol: number;
      nodeId: string;
      signature: string;
      version: string;
      capabilities: NodeCapabilities;
    }
  | { type: 'heartbeat'; at: number; inFlight: number }
  | { type: 'pause' }
  | { type: 'resume' };

/** Packs a result header and body into one binary frame. */
export function encodeResultFrame(header: ResultHeader, body: Uint8Array): Buffer {
  const head = Buffer.from(JSON.stringify(header), 'utf8');
  const frame = Buffer.allocUnsafe(4 + head.length + body.length);
  frame.writeUInt32BE(head.length, 0);
  head.copy(frame, 4);
  frame.set(body, 4 + head.length);
  return frame;
}

/** Unpacks a binary result frame; throws on a malformed frame. */
export function decodeResultFrame(frame: Buffer): { header: ResultHeader; body: Buffer } {
  if (frame.length < 4) throw new Error('result frame too short');
  const headLength = frame.readUInt32BE(0);
  if (4 + headLength > frame.length) throw new Error('result frame header overruns the frame');
  const header = JSON.parse(frame.subarray(4, 4 + headLength).toString('utf8')) as ResultHeader;
  return { header, body: frame.subarray(4 + headLength) };
}
