import type { Readable } from 'node:stream';
import { Webhook } from 'standardwebhooks';
import { AddressPolicy } from './address-guard.js';
import { createPinnedPool } from './connection-pools.js';
import { systemResolver, type Resolver } from './guarded-hop.js';

/** One webhook message, as Standard Webhooks frames it. */
export interface WebhookMessage {
  /** The `webhook-id`: the same on every attempt, so receivers can drop repeats. */
  id: string;
  type: string;
  /** When the event happened: the body's `timestamp`. */
  eventAt: Date;
  data: unknown;
}

/** What one attempt came to. */
export interface WebhookSendResult {
  /** True for a 2xx response. */
  ok: boolean;
  /** The response's status; null when none came. */
  status: number | null;
  /** Why it failed; null when `ok`. */
  error: string | null;
  /** Time from the start of the attempt to the end of the (capped) response read, ms. */
  responseMs: number;
}

/** Options of {@link WebhookSender}. */
export interface WebhookSenderOptions {
  /** Longest an attempt may take, connection and response together, ms. Default 10,000. */
  timeoutMs?: number;
  /** Most response body bytes read; the rest is dropped. Default 4,096. */
  maxResponseBytes?: number;
  /**
   * Also send to loopback, RFC 1918, CGNAT and unique-local addresses (tests, demos, receivers on the operator's
   * own network). Default `false`: an endpoint that resolves to any non-public address is refused.
   */
  allowPrivateNetwork?: boolean;
  /** Exact IPs or CIDRs allowed whatever their class. Default none. */
  allowAddresses?: readonly string[];
  /** Resolves host names. Default the operating system's resolver. */
  resolve?: Resolver;
  /** The `User-Agent` sent. Default `Gleaner-Webhooks/1`. */
  userAgent?: string;
}

/** Default time limit of one attempt, ms. */
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_RESPONSE_BYTES = 4096;
const MAX_HEADER_BYTES = 16 * 1024;

/** The error text of a failure, without stack or cause chains. */
function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !error.message.includes(code)
      ? `${code}: ${error.message}`
      : error.message;
  }
  return String(error);
}

/** Settles with `promise`, or rejects when `signal` aborts first. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}

/** Reads at most `maxBytes` of a body, then drops the rest (and the connection with it). */
async function readCapped(body: Readable, maxBytes: number): Promise<void> {
  let read = 0;
  body.on('error', () => undefined);
  for await (const chunk of body) {
    read += (chunk as Buffer).length;
    if (read >= maxBytes) break;
  }
  body.destroy();
}

/**
 * Sends webhook messages, signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`:
 * `v1,` and the base64 HMAC-SHA256 of `id.timestamp.body` under the endpoint's `whsec_` secret). Each attempt is one
 * POST within a time limit, to an address the private-network guard allowed (judged when resolved and again once
 * connected), reads a small part of the response and follows no redirect: only a 2xx counts as delivered.
 */
export class WebhookSender {
  readonly #timeoutMs: number;
  readonly #maxResponseBytes: number;
  readonly #policy: AddressPolicy;
  readonly #resolve: Resolver;
  readonly #userAgent: string;

  constructor(options: WebhookSenderOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
    this.#maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.#policy = new AddressPolicy({
      allowPrivateNetwork: options.allowPrivateNetwork ?? false,
      allowAddresses: options.allowAddresses ?? [],
    });
    this.#resolve = options.resolve ?? systemResolver;
    this.#userAgent = options.userAgent ?? 'Gleaner-Webhooks/1';
  }

  /** The signed request for a message, as it goes on the wire (also what receivers' tests verify). */
  static sign(
    secret: string,
    message: WebhookMessage,
    sentAt = new Date(),
  ): { body: string; headers: Record<string, string> } {
    const body = JSON.stringify({
      type: message.type,
      timestamp: message.eventAt.toISOString(),
      data: message.data,
    });
    // Standard Webhooks timestamps are whole seconds; sign with the same second the header carries.
    const at = new Date(Math.floor(sentAt.getTime() / 1000) * 1000);
    return {
      body,
      headers: {
        'webhook-id': message.id,
        'webhook-timestamp': String(at.getTime() / 1000),
        'webhook-signature': new Webhook(secret).sign(message.id, at, body),
      },
    };
  }

  /** Makes one attempt to deliver `message` to `url`. Never throws: every failure is in the result. */
  async send(url: string, secret: string, message: WebhookMessage): Promise<WebhookSendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const fail = (error: string, status: number | null = null): WebhookSendResult => ({
      ok: false,
      status,
      error,
      responseMs: elapsed(),
    });
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return fail('invalid URL');
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:')
      return fail(`unsupported scheme ${target.protocol}`);

    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.#timeoutMs);
    let closePool: (() => Promise<void>) | undefined;
    try {
      const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
      const literal = /^[\d.]+$/.test(host) || host.includes(':');
      const addresses = literal
        ? [{ address: host, family: host.includes(':') ? 6 : 4 }]
        : await untilAborted(this.#resolve(host), controller.signal);
      if (addresses.length === 0) return fail(`${host} has no addresses`);
      for (const { address } of addresses) {
        const verdict = this.#policy.check(address);
        if (!verdict.allowed)
          return fail(`${host} resolves to a ${verdict.kind} address, which webhooks may not reach`);
      }
      const { pool } = createPinnedPool(
        {
          origin: target.origin,
          addresses,
          maxHeaderBytes: MAX_HEADER_BYTES,
          connectTimeoutMs: this.#timeoutMs,
        },
        this.#policy,
      );
      closePool = () => pool.destroy();
      const { body, headers } = WebhookSender.sign(secret, message);
      const response = await pool.request({
        method: 'POST',
        path: `${target.pathname}${target.search}`,
        headers: { 'content-type': 'application/json', 'user-agent': this.#userAgent, ...headers },
        body,
        signal: controller.signal,
        headersTimeout: this.#timeoutMs,
        bodyTimeout: this.#timeoutMs,
      });
      await readCapped(response.body, this.#maxResponseBytes);
      const status = response.statusCode;
      if (status >= 200 && status < 300) return { ok: true, status, error: null, responseMs: elapsed() };
      if (status >= 300 && status < 400) return fail(`HTTP ${status}: redirects are not followed`, status);
      return fail(`HTTP ${status}`, status);
    } catch (error) {
      if (controller.signal.aborted) return fail(`timed out after ${this.#timeoutMs} ms`);
      return fail(describe(error));
    } finally {
      clearTimeout(timer);
      await closePool?.().catch(() => undefined);
    }
  }
}
