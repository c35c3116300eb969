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

// The messages themselves (jobs, results, control messages) are defined once, as zod schemas in
// `@gleaner/contracts`, and their types inferred from those schemas.

/** Packs a result header (a `ResultHeader` of `@gleaner/contracts`) and body into one binary frame. */
export function encodeResultFrame(header: object, body: Uint8Array): Buffer {
  const head = Buffer.from(JSON.stringify(header), 'utf8');
  const frame = Buffer.allocUnsafe(4 + head.length + body.length);
  frame.writeUInt32BE(head.length, 0);
  head.copy(frame, 4);
  frame.set(body, 4 + head.length);
  return frame;
}

/**
 * Unpacks a binary result frame; throws on a malformed frame. The header is only parsed JSON: check it with
 * `ResultHeaderSchema` of `@gleaner/contracts` before believing any of it.
 */
export function decodeResultFrame(frame: Buffer): { header: unknown; body: Buffer } {
  if (frame.length < 4) throw new Error('result frame too short');
  const headLength = frame.readUInt32BE(0);
  if (4 + headLength > frame.length) throw new Error('result frame header overruns the frame');
  const header: unknown = JSON.parse(frame.subarray(4, 4 + headLength).toString('utf8'));
  return { header, body: frame.subarray(4 + headLength) };
}
